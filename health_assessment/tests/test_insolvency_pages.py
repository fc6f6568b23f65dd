"""The reason for skor 1 under negative equity is shown on the result page and in
the PDF."""

import pypdfium2
from django.urls import reverse

from health_assessment import services
from tests.personas import PersonaTestCase

from .test_services import complete_draft


class InsolvencyPageTests(PersonaTestCase):
    def test_the_page_and_the_pdf_say_ekuitas_negatif(self):
        draft = services.assessment_start(
            cooperative=self.coop_a, tahun_buku=2024, acting_user=self.staff
        )
        draft = complete_draft(self, draft, ekuitas="-37037", shu="-14815")
        final = services.assessment_finalise(assessment=draft, acting_user=self.staff)
        client = self.client_for(self.staff)
        page = client.get(final.get_absolute_url())
        # ROE, long-term debt to equity and sales to equity all divide by ekuitas,
        # named as the worksheet labels it.
        self.assertContains(page, "Ekuitas (modal sendiri) negatif", count=3)
        # A loss over negative equity is no positive return: the ratio is not
        # shown as one ("25,00%" beside the reason).
        self.assertContains(page, "rasio tidak bermakna", count=3)
        self.assertNotContains(page, "40,00% <small")  # ROE -14.815 / -37.037
        pdf = client.get(reverse("health_assessment:pdf", args=[final.pk]))
        document = pypdfium2.PdfDocument(pdf.content)
        text = " ".join(
            document[i].get_textpage().get_text_range() for i in range(len(document))
        )
        document.close()
        text = " ".join(text.split())  # a line may break inside the words
        assert text.count("Ekuitas (modal sendiri) negatif") == 3, text
