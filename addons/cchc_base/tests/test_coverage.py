from odoo.tests import TransactionCase, tagged

# Models that carry a many2one to cchc.agency and have no record rule, each with the reason.
# A new model with an agency lands here only after someone decided its records are not an
# agency's internal data; otherwise it gets rules like cchc_base's pattern.
AGENCY_WITHOUT_RULES = {
    "cchc.agency": "the agency tree itself: every internal user reads it to pick agencies",
    "cchc.agency.alias": "names of agencies as plans write them: public like the agencies",
    "cchc.agency.group": "groups of agencies ('Các sở, ban, ngành'): public like the agencies",
    "res.users": "a user's agency; Odoo's own rules on users apply",
    "cchc.plan": "the province plan: every agency reads it, only the coordinator writes it",
    "cchc.plan.import.mapping": "transient wizard line, coordinator only (its access rights)",
    "cchc.task.change": "transient wizard, coordinator only (its access rights)",
    "cchc.onestop.procedure": "the published procedure catalogue: public by law",
    "cchc.onestop.procedure.step": "steps of a published procedure: public like the catalogue",
    "cchc.onestop.procedure.link": "linked procedures of the catalogue: public like it",
    "cchc.onestop.procedure.import": "transient wizard, coordinator only (its access rights)",
    "cchc.onestop.counter": "dossier number counter, read by administrators only, bumped in SQL",
    "cchc.onestop.dossier.action": "transient dialog of a transition: each action checks that "
    "the caller may change its dossier",
}


@tagged("post_install", "-at_install")
class TestNothingForgotten(TransactionCase):
    """Every model of the project has access rights; every model carrying an agency's data has
    record rules (or a stated reason not to); every protected model names real fields.

    Runs after every addon is installed, so that it also catches the models of addons merged
    later."""

    def _project_models(self):
        for name, model in self.env.registry.items():
            if model._abstract or not (model._original_module or "").startswith("cchc_"):
                continue
            yield name, self.env[name]

    def _agency_models(self):
        """Models with a stored many2one to cchc.agency declared by a cchc addon."""
        for name, model in self.env.registry.items():
            if model._abstract:
                continue
            for field in model._fields.values():
                if (
                    field.type == "many2one"
                    and field.comodel_name == "cchc.agency"
                    and field.store
                    and (field._module or model._original_module or "").startswith("cchc_")
                ):
                    yield name, field.name
                    break

    def test_the_test_sees_the_project(self):
        names = dict(self._project_models())
        self.assertIn("cchc.agency", names)
        self.assertIn("cchc.indicator.value", names)
        self.assertIn("cchc.indicator.value", dict(self._agency_models()))

    def test_every_project_model_has_access_rights(self):
        Access = self.env["ir.model.access"].sudo()
        missing = [
            name
            for name, _model in self._project_models()
            if not Access.search_count([("model_id.model", "=", name)], limit=1)
        ]
        self.assertEqual(missing, [], "models of the project without ir.model.access rows")

    def test_every_model_with_an_agency_has_record_rules(self):
        Rule = self.env["ir.rule"].sudo()
        missing = [
            f"{name} ({field})"
            for name, field in self._agency_models()
            if name not in AGENCY_WITHOUT_RULES
            and not Rule.search_count([("model_id.model", "=", name)], limit=1)
        ]
        self.assertEqual(
            missing,
            [],
            "models carrying an agency's data without record rules: add rules, or add the "
            "model to AGENCY_WITHOUT_RULES with the reason",
        )

    def test_allow_list_gives_reasons(self):
        for name, reason in AGENCY_WITHOUT_RULES.items():
            with self.subTest(model=name):
                self.assertGreater(len(reason.split()), 3, "say why it needs no rule")

    def test_protected_models_declare_existing_fields(self):
        Mixin = type(self.env["cchc.protected.mixin"])
        protected = [
            name
            for name, model in self.env.registry.items()
            if name != "cchc.protected.mixin" and issubclass(model, Mixin)
        ]
        self.assertIn("cchc.indicator.value", protected)
        for name in protected:
            model = self.env[name]
            with self.subTest(model=name):
                # It protects fields, or freezes records (e.g. a criteria set locked by use).
                freezes = type(model)._cchc_is_frozen is not Mixin._cchc_is_frozen
                self.assertTrue(
                    model._cchc_protected_fields or freezes,
                    "declares no protected field and freezes nothing",
                )
                unknown = (model._cchc_protected_fields | model._cchc_frozen_writable) - set(
                    model._fields
                )
                self.assertFalse(unknown, f"protects fields it does not have: {unknown}")
