"""Nothing outside the whitelist ever leaves through a public page, export or API
response — checked for every URL the public app has."""

import json
from decimal import Decimal

from django.test import override_settings
from django.urls import URLPattern, reverse

from cooperatives import services
from cooperatives.models import Officer, Position
from health_assessment import services as health
from lib.receipts import redirect_with_receipt
from public import urls as public_urls
from public.fields import ALWAYS, OPTIONAL, public_fields
from public.models import Concern
from public.views import CONCERN_RECEIPT
from tests.personas import PersonaTestCase

SECRETS = {
    "address": "Jl. Rahasia Alamat 77",
    "phone": "0811-555-RAHASIA",
    "email": "bendahara.rahasia@uji.invalid",
    "sektor_usaha": "SEKTOR-TIDAK-DIUMUMKAN",
    "officer": "Pengurus Rahasia Sekali",
    "officer_phone": "0812-999-000",
    "aset": "987654321",
    "aset_rupiah": "987.654.321",
    "concern": "ADUAN RAHASIA dari anggota lain tentang koperasi ini",
}


def public_urls_for(cooperative_pk, token, letter_token):
    """Every URL of the public app, filled in. A new URL without an entry here makes
    the test fail, so the whitelist check always covers every endpoint."""
    filled = {
        "home": [],
        "list": [],
        "cooperative": [cooperative_pk],
        "qr": [cooperative_pk],
        "poster": [cooperative_pk],
        "concern": [cooperative_pk],
        "concern_done": [cooperative_pk],
        "open_data": [],
        "export_cooperatives": [("csv",), ("json",)],
        "export_statistics": [("csv",), ("json",)],
        "api_root": [],
        "api_schema": [],
        "api_cooperatives": [],
        "api_cooperative": [cooperative_pk],
        "api_statistics": [],
        "verify_assessment": [token],
        "verify_status_letter": [letter_token],
    }
    names = {p.name for p in public_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(filled), names ^ set(filled)
    urls = []
    for name, args in filled.items():
        variants = args if args and isinstance(args[0], tuple) else [tuple(args)]
        for variant in variants:
            urls.append(reverse(f"public:{name}", args=variant))
    # The "sent" page as its redirect reaches it, with a signed receipt.
    done = reverse("public:concern_done", args=[cooperative_pk])
    urls.remove(done)
    urls.append(
        redirect_with_receipt(
            done, CONCERN_RECEIPT, cooperative=cooperative_pk, reference="R1"
        )["Location"]
    )
    urls += [
        reverse("public:list") + "?q=Alpha",
        reverse("public:api_cooperatives") + "?q=6471",
    ]
    return urls


class WhitelistTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        coop = cls.coop_a
        coop.address, coop.phone, coop.email = (
            SECRETS["address"],
            SECRETS["phone"],
            SECRETS["email"],
        )
        coop.sektor_usaha = SECRETS["sektor_usaha"]
        coop.save()
        Officer.objects.create(
            cooperative=coop,
            name=SECRETS["officer"],
            position=Position.BENDAHARA,
            phone=SECRETS["officer_phone"],
        )
        coop.figures.update(aset=Decimal(SECRETS["aset"]))
        Concern.objects.create(
            cooperative=coop, message=SECRETS["concern"], sender_hash="x"
        )
        record = health.assessment_record_historic(
            acting_user=cls.staff,
            cooperative=coop,
            tahun_buku=2023,
            instrument="Perdep 06/2016",
            final_score=Decimal("70.00"),
            label="cukup sehat",
        )
        cls.token = record.verification_token
        letter = services.status_letter_issue(
            acting_user=cls.staff, cooperative=coop, purpose="pinjaman bank"
        )
        cls.letter_token = letter.verification_token

    def fetch(self, url):
        response = self.anonymous.get(url)
        self.assertEqual(response.status_code, 200, url)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        return response, body.decode("utf-8")

    def test_no_private_value_appears_on_any_public_endpoint(self):
        for url in public_urls_for(self.coop_a.pk, self.token, self.letter_token):
            with self.subTest(url):
                _response, text = self.fetch(url)
                for name, secret in SECRETS.items():
                    self.assertNotIn(secret, text, (url, name))

    def test_json_responses_carry_exactly_the_whitelisted_fields(self):
        names = [f.name for f in ALWAYS]
        _r, text = self.fetch(reverse("public:api_cooperative", args=[self.coop_a.pk]))
        self.assertEqual(list(json.loads(text)), names)
        _r, text = self.fetch(reverse("public:api_cooperatives"))
        for row in json.loads(text)["results"]:
            self.assertEqual(list(row), names)
        _r, text = self.fetch(reverse("public:export_cooperatives", args=["json"]))
        for row in json.loads(text):
            self.assertEqual(list(row), names)
        _r, text = self.fetch(reverse("public:export_cooperatives", args=["csv"]))
        self.assertEqual(text.lstrip("\ufeff").splitlines()[0].split(","), names)
        _r, text = self.fetch(reverse("public:api_schema"))
        schema = json.loads(text)["components"]["schemas"]["Koperasi"]
        self.assertEqual(list(schema["properties"]), names)

    def test_the_latest_health_result_is_public_with_its_year(self):
        _r, text = self.fetch(reverse("public:api_cooperative", args=[self.coop_a.pk]))
        data = json.loads(text)
        self.assertEqual(data["kesehatan"], "Cukup Sehat")
        self.assertEqual(data["kesehatan_tahun_buku"], 2023)
        _r, page = self.fetch(reverse("public:cooperative", args=[self.coop_a.pk]))
        self.assertIn("kondisi cukup baik, ada hal yang perlu diperbaiki", page)

    @override_settings(PUBLIC_EXTRA_FIELDS=["alamat", "aset"])
    def test_the_dinas_can_publish_more_and_only_what_it_names(self):
        self.assertEqual(
            [f.name for f in public_fields()],
            [f.name for f in ALWAYS] + ["alamat", "aset"],
        )
        _r, text = self.fetch(reverse("public:api_cooperative", args=[self.coop_a.pk]))
        data = json.loads(text)
        self.assertEqual(data["alamat"], SECRETS["address"])
        self.assertEqual(data["aset"], int(SECRETS["aset"]))
        for url in public_urls_for(self.coop_a.pk, self.token, self.letter_token):
            with self.subTest(url):
                _r, text = self.fetch(url)
                for name in ("phone", "email", "officer", "officer_phone", "concern"):
                    self.assertNotIn(SECRETS[name], text, (url, name))

    def test_an_unknown_extra_field_stops_the_app_at_the_checks(self):
        from django.core.checks import run_checks

        with override_settings(PUBLIC_EXTRA_FIELDS=["nama_pengurus"]):
            ids = [e.id for e in run_checks()]
        self.assertIn("koperasi.E003", ids)
        self.assertEqual(len(OPTIONAL), 7)
