"""Assessment workflow through its services, on the real database."""

from decimal import Decimal

from audit.models import AuditAction, AuditEvent
from health_assessment import services
from health_assessment.models import (
    Assessment,
    AssessmentStatus,
    Predikat,
    RuleSetVersion,
)
from health_assessment.scoring import Override
from tests.personas import PersonaTestCase

from .scoring_testing import FIGURES, RULESET_DIR, SEKTOR_RIIL, raw_definition


def complete_draft(test, assessment, **figure_changes):
    ruleset = assessment.ruleset.parsed()
    figures = {n: Decimal(FIGURES[n]) for n in (i.name for i in ruleset.inputs)}
    figures.update(
        {k: None if v is None else Decimal(v) for k, v in figure_changes.items()}
    )
    checklist = {item.code: True for i in ruleset.indicators for item in i.items}
    return services.assessment_save_draft(
        assessment=assessment,
        checklist=checklist,
        figures=figures,
        overrides={},
        acting_user=test.staff,
    )


class AssessmentServiceTests(PersonaTestCase):
    def start(self, year=2024, coop=None):
        return services.assessment_start(
            cooperative=coop or self.coop_a, tahun_buku=year, acting_user=self.staff
        )

    def test_it_picks_the_rule_set_by_jenis_and_prefills_figures(self):
        self.coop_a.figures.create(tahun_buku=2023, aset=Decimal("1000000"))
        assessment = self.start()
        assert assessment.ruleset.code == "KKPKK-2021-SR"
        assert assessment.figures["total_aset"] == "1250000.00"
        assert assessment.figures["total_aset_lalu"] == "1000000.00"
        assert assessment.figures["shu"] is None
        ksp = self.start(coop=self.coop_b)
        assert ksp.ruleset.code == "KKPKK-2021-SP"

    def test_starting_twice_returns_the_same_draft(self):
        assert self.start().pk == self.start().pk
        assert Assessment.objects.count() == 1

    def test_finalising_fixes_score_and_predikat_and_is_audited(self):
        assessment = complete_draft(self, self.start())
        final = services.assessment_finalise(
            assessment=assessment, acting_user=self.staff
        )
        assert final.status == AssessmentStatus.FINAL
        assert final.final_score == Decimal("92.73")
        assert final.predikat == Predikat.SEHAT
        assert final.result["final_score"] == "92.73"
        event = AuditEvent.objects.get(action=AuditAction.FINALISE)
        assert event.actor == self.staff and event.cooperative == self.coop_a
        # Written as the trail writes every number: "92.73" stood beside a
        # historic result's "80,00".
        assert event.changes["final_score"]["new"] == "92,73"
        saved = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("pk")
        assert "skor sementara: 92,73" in saved.message
        # The save says which amounts it changed, not only its score.
        assert saved.changes, saved.changes
        first = next(iter(saved.changes.values()))
        assert first["new"].startswith("Rp ") and first["old"] == "—"
        services.assessment_save_draft(
            assessment=final.__class__.objects.create(
                cooperative=self.coop_b,
                tahun_buku=2024,
                ruleset=final.ruleset,
                created_by=self.staff,
            ),
            checklist={},
            figures={"total_aset": Decimal("1000000")},
            overrides={},
            acting_user=self.staff,
        )
        again = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("pk")
        assert list(again.changes) == ["input_total_aset"]
        assert again.changes["input_total_aset"]["new"] == "Rp 1.000.000"

    def test_a_save_records_which_checklist_items_it_ticked_or_unticked(self):
        # The checklists carry all of Tata Kelola: unticking four items had left
        # no trace of what changed, nor who changed it.
        assessment = complete_draft(self, self.start())
        ruleset = assessment.ruleset.parsed()
        checklist = next(i for i in ruleset.indicators if i.is_checklist)
        codes = [item.code for item in checklist.items]
        answers = {code: True for code in assessment.checklist}
        answers[codes[0]] = False
        services.assessment_save_draft(
            assessment=assessment,
            checklist=answers,
            figures={k: v and Decimal(v) for k, v in assessment.figures.items()},
            overrides={},
            acting_user=self.staff,
        )
        saved = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("pk")
        total = len(codes)
        rest = ", ".join(str(n) for n in range(2, total + 1))
        assert saved.changes == {
            f"checklist_{checklist.code}": {
                "label": checklist.name,
                "old": f"butir {', '.join(str(n) for n in range(1, total + 1))} "
                f"({total} dari {total})",
                "new": f"butir {rest} ({total - 1} dari {total})"
                if total > 1
                else f"tidak ada butir (0 dari {total})",
            }
        }
        assert saved.actor == self.staff

    def test_it_refuses_to_finalise_without_data_unless_overridden(self):
        assessment = complete_draft(self, self.start(), kewajiban_lancar=None)
        with self.assertRaisesMessage(
            services.AssessmentRefused, "data tidak tersedia"
        ):
            services.assessment_finalise(assessment=assessment, acting_user=self.staff)
        ruleset = assessment.ruleset.parsed()
        figures = {
            k: None if v is None else Decimal(v) for k, v in assessment.figures.items()
        }
        overrides = {
            code: Override(skor=2, reason="Neraca tidak memisahkan kewajiban lancar")
            for code in ("pr_lk_kewajiban_lancar", "kk_kas", "kk_aset_lancar")
        }
        services.assessment_save_draft(
            assessment=assessment,
            checklist={item.code: True for i in ruleset.indicators for item in i.items},
            figures=figures,
            overrides=overrides,
            acting_user=self.staff,
        )
        final = services.assessment_finalise(
            assessment=assessment, acting_user=self.staff
        )
        assert final.result["indicators"][0]["skor"] is not None
        assert any(i.get("override") for i in final.result["indicators"])

    def test_a_final_assessment_cannot_be_edited_only_revised(self):
        final = services.assessment_finalise(
            assessment=complete_draft(self, self.start()), acting_user=self.staff
        )
        with self.assertRaisesMessage(services.AssessmentRefused, "sudah final"):
            complete_draft(self, final, shu=1)
        with self.assertRaisesMessage(services.AssessmentRefused, "Alasan revisi"):
            services.assessment_revise(
                assessment=final, reason=" ", acting_user=self.staff
            )
        revision = services.assessment_revise(
            assessment=final, reason="SHU salah ketik", acting_user=self.admin
        )
        assert revision.revision == 2 and revision.is_draft
        assert revision.revision_of == final
        complete_draft(self, revision, shu=20_000)  # ROA 2% -> skor 1
        services.assessment_finalise(assessment=revision, acting_user=self.admin)
        final.refresh_from_db()
        revision.refresh_from_db()
        assert not final.is_current and final.final_score == Decimal("92.73")
        assert revision.is_current and revision.final_score < final.final_score
        assert list(Assessment.objects.current()) == [revision]
        actions = list(
            AuditEvent.objects.filter(cooperative=self.coop_a)
            .order_by("id")
            .values_list("action", "actor__username")
        )
        assert (AuditAction.FINALISE, "staf-uji") in actions
        assert (AuditAction.REVISE, "admin-uji") in actions
        assert (AuditAction.FINALISE, "admin-uji") in actions

    def test_a_year_with_a_result_needs_a_revision_not_a_new_start(self):
        services.assessment_finalise(
            assessment=complete_draft(self, self.start()), acting_user=self.staff
        )
        with self.assertRaisesMessage(services.AssessmentRefused, "Buat revisi"):
            self.start()

    def test_a_new_rule_set_version_never_changes_a_finalised_result(self):
        final = services.assessment_finalise(
            assessment=complete_draft(self, self.start()), acting_user=self.staff
        )
        data = raw_definition(SEKTOR_RIIL)
        data["version"] = 2
        data["aspects"][0]["weight"], data["aspects"][2]["weight"] = 40, 30
        loaded = services.ruleset_load(
            data=services.read_definition(__import__("json").dumps(data, default=str)),
            acting_user=self.admin,
        )
        assert loaded.version == 2
        final.refresh_from_db()
        _, _, result = services.assessment_score(final)
        assert final.ruleset.version == 1 and result.final_score == final.final_score
        # a new assessment picks the newest version
        assert self.start(year=2023).ruleset.version == 2

    def test_loading_the_same_version_twice_is_idempotent_but_a_change_is_refused(self):
        text = (RULESET_DIR / SEKTOR_RIIL).read_text("utf-8")
        row = services.ruleset_load(
            data=services.read_definition(text), acting_user=None
        )
        assert RuleSetVersion.objects.filter(code="KKPKK-2021-SR").count() == 1
        assert row.version == 1
        changed = services.read_definition(
            text.replace("weight: 30", "weight: 30.0", 1)
        )
        changed["name"] = "lain"
        with self.assertRaisesMessage(
            services.AssessmentRefused, "Naikkan nomor versi"
        ):
            services.ruleset_load(data=changed, acting_user=None)

    def test_historic_results_are_recorded_as_given_with_old_words(self):
        old = services.assessment_record_historic(
            cooperative=self.coop_a,
            tahun_buku=2015,
            instrument="Permen 14/2009",
            final_score="62,45",
            label="Kurang Sehat",
            acting_user=self.staff,
        )
        assert old.predikat == Predikat.DALAM_PENGAWASAN
        assert old.final_score == Decimal("62.45") and old.ruleset is None
        assert old.original_label == "Kurang Sehat"
        # The audit trail reads the score as the pages do ("62,45", not "62.45").
        message = AuditEvent.objects.get(object_id=str(old.pk), action="create").message
        assert "skor 62,45" in message, message
        with self.assertRaisesMessage(services.AssessmentRefused, "tidak dikenal"):
            services.assessment_record_historic(
                cooperative=self.coop_a,
                tahun_buku=2016,
                instrument="Perdep 06/2016",
                final_score="70",
                label="lumayan",
                acting_user=self.staff,
            )
        for label, predikat in (
            ("tidak sehat", Predikat.DALAM_PENGAWASAN_KHUSUS),
            ("Sangat Tidak Sehat", Predikat.DALAM_PENGAWASAN_KHUSUS),
            ("cukup  sehat", Predikat.CUKUP_SEHAT),
        ):
            assert services.predikat_from_label(label) == predikat
