"""Phone numbers as people write them, to +62 (no database)."""

from django.test import SimpleTestCase

from lib.phone import normalize_phone, whatsapp_digits, whatsapp_link
from notifications.contacts import Contact, contact_for
from notifications.models import Channel


class NormalizeTests(SimpleTestCase):
    def test_every_way_of_writing_a_mobile_number_gives_one_plus_62_form(self):
        for written in (
            "0812-3456-7890",
            "0812 3456 7890",
            "62 812 3456 7890",
            "+62 812-3456-7890",
            "(+62) 81234567890",
            "812 3456 7890",
        ):
            with self.subTest(written=written):
                self.assertEqual(normalize_phone(written), "+6281234567890")

    def test_a_short_number_written_as_wa_me_writes_it_keeps_one_country_code(self):
        # "62812345678" read as a national number is valid too: it was stored
        # as +6262812345678, and the Dinas could not reach the person.
        self.assertEqual(normalize_phone("62812345678"), "+62812345678")
        self.assertEqual(normalize_phone("62 812-345-678"), "+62812345678")
        self.assertEqual(normalize_phone("0812345678"), "+62812345678")
        for written in (
            "62812345678 (WA)",
            "WA: 62812345678",
            "wa.me/62812345678",
            "\u202a62812345678\u202c",
            "６２８１２３４５６７８",
        ):
            with self.subTest(written=written):
                self.assertEqual(normalize_phone(written), "+62812345678")

    def test_a_number_pasted_from_whatsapp_is_kept_without_its_invisible_marks(self):
        # WhatsApp copies a number between direction marks, with non-breaking
        # hyphens: the registry kept them, unseen, in a cooperative's phone.
        from lib.phone import phone_as_written

        pasted = "\u202a+62 812\u20113456\u20117890\u202c"
        self.assertEqual(phone_as_written(pasted), "+62 812-3456-7890")
        self.assertEqual(phone_as_written("  0542   733100 "), "0542 733100")
        self.assertEqual(phone_as_written(None), "")
        self.assertEqual(normalize_phone(phone_as_written(pasted)), "+6281234567890")
        # Digits of other forms are kept as 0-9: "０８１２…" was stored as typed
        # and showed so in the registry and its exports.
        self.assertEqual(
            phone_as_written("０８１２ ３４５６ ７８９０"), "0812 3456 7890"
        )
        self.assertEqual(phone_as_written("٠٨١٢"), "0812")
        self.assertEqual(phone_as_written("＋62 812"), "+62 812")

    def test_a_landline_keeps_its_area_code(self):
        self.assertEqual(normalize_phone("(0542) 733100"), "+62542733100")

    def test_what_is_not_a_number_is_none(self):
        for written in ("", "  ", "12", "08111", "bukan nomor", "0812345678901234567"):
            with self.subTest(written=written):
                self.assertIsNone(normalize_phone(written))

    def test_whatsapp_takes_digits_and_a_link_carries_the_text(self):
        self.assertEqual(whatsapp_digits("+6281234567890"), "6281234567890")
        self.assertEqual(
            whatsapp_link("0812 3456 7890", "Laporan & tanda terima: 1/2"),
            "https://wa.me/6281234567890?text=Laporan%20%26%20tanda%20terima%3A%201/2",
        )
        self.assertIsNone(whatsapp_link("12", "x"))


class ContactTests(SimpleTestCase):
    def test_the_preferred_channel_when_it_can_be_reached_else_the_other(self):
        both = {"email": "ketua@uji.invalid", "phone": "0812 3456 7890"}
        self.assertEqual(
            contact_for(**both, prefer=Channel.WHATSAPP),
            Contact(Channel.WHATSAPP, "+6281234567890"),
        )
        self.assertEqual(
            contact_for(**both, prefer=Channel.EMAIL),
            Contact(Channel.EMAIL, "ketua@uji.invalid"),
        )
        self.assertEqual(
            contact_for(email="ketua@uji.invalid", phone="12", prefer=Channel.WHATSAPP),
            Contact(Channel.EMAIL, "ketua@uji.invalid"),
        )
        self.assertEqual(
            contact_for(phone="0812 3456 7890"),
            Contact(Channel.WHATSAPP, "+6281234567890"),
        )
        self.assertIsNone(contact_for(email="", phone="", prefer=Channel.WHATSAPP))


def test_a_stored_number_reads_as_people_here_write_it():
    from lib.phone import phone_shown

    assert phone_shown("+6281234567890") == "0812-3456-7890"
    assert phone_shown("+442079460958") == "+44 20 7946 0958"
    assert phone_shown("(0542) 733 100") == "(0542) 733 100"  # kept as written
    assert phone_shown("") == ""
    assert phone_shown(None) == ""
