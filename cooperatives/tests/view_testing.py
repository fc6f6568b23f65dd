"""The cooperative form as staff post it, for the view tests."""

from cooperatives.models import Kelurahan
from tests.personas import PersonaTestCase


class CooperativeFormTestCase(PersonaTestCase):
    def form_data(self, **overrides):
        data = {
            "nik": "6471999999999999",
            "name": "Koperasi  Epsilon   Abadi",
            "nomor_badan_hukum": "77/BH/XVI/2005",
            "tanggal_badan_hukum": "2005-03-01",
            "address": "Jl. MT Haryono",
            "kelurahan": Kelurahan.objects.get(name="Damai").pk,
            "jenis": "pemasaran",
            "pola": "konvensional",
            "bentuk": "primer",
            "sektor_usaha": "Perdagangan",
            "phone": "0812 3456 7890",
            "email": "epsilon@example.com",
        }
        data.update(overrides)
        return data
