from datetime import timedelta

from odoo import api, fields, models

TONES = ("danger", "warning", "ok", "info")


class CchcHome(models.AbstractModel):
    """The figures of a user's home screen, one card per figure.

    Every count is a ``search_count`` run as the calling user, so record rules decide what is
    counted; each card's action opens the same domain, so one click shows exactly the records
    behind the figure. Addons add cards by extending a ``_cchc_home_cards_<role>`` hook."""

    _name = "cchc.home"
    _description = "Home screen"

    # The first role a card appears under keeps it: the province-wide view comes first.
    ROLES = (
        ("coordinator", "cchc_base.group_cchc_coordinator"),
        ("leader", "cchc_base.group_cchc_leader"),
        ("onestop", "cchc_base.group_cchc_onestop"),
        ("clerk", "cchc_base.group_cchc_clerk"),
        ("officer", "cchc_base.group_cchc_user"),
    )

    @api.model
    def get_cards(self):
        """The cards of the calling user's roles, each key once, most urgent first."""
        user = self.env.user
        cards, seen = [], set()
        for role, group in self.ROLES:
            if not user.has_group(group):
                continue
            for card in getattr(self, f"_cchc_home_cards_{role}")():
                if card and card["key"] not in seen:
                    seen.add(card["key"])
                    card["role"] = role
                    cards.append(card)
        return cards

    # -- helpers ---------------------------------------------------------------------------

    @api.model
    def _cchc_week_end(self):
        """The last day of the current week (Sunday), in the user's time zone."""
        today = fields.Date.context_today(self)
        return today + timedelta(days=6 - today.weekday())

    @api.model
    def _cchc_card(
        self, key, title, model, domain, tone="warning", hint=None, sequence=50, views=None
    ):
        """One card counting ``domain`` on ``model`` as the user; None when he cannot read it.

        ``tone`` is the colour of a non-zero count ('danger' or 'warning'); zero is 'ok'.
        'info' cards (a plain count) keep their tone. ``views``: the list and form the card
        opens, when the model's default ones are another app's."""
        if model not in self.env or not self.env[model].has_access("read"):
            return None
        count = self.env[model].search_count(domain)
        if tone in ("danger", "warning") and not count:
            tone = "ok"
        return {
            "key": key,
            "title": title,
            "count": count,
            "tone": tone,
            "hint": hint or "",
            "sequence": sequence,
            "action": {
                "type": "ir.actions.act_window",
                "name": title,
                "res_model": model,
                "domain": domain,
                "views": views or [[False, "list"], [False, "form"]],
                "target": "current",
                "context": {"create": False},
            },
        }

    # -- hooks, one per role: other addons extend them --------------------------------------

    @api.model
    def _cchc_home_cards_leader(self):
        return self._cchc_home_target_cards()

    @api.model
    def _cchc_home_cards_coordinator(self):
        return self._cchc_home_target_cards()

    @api.model
    def _cchc_home_cards_onestop(self):
        return []

    @api.model
    def _cchc_home_cards_clerk(self):
        return []

    @api.model
    def _cchc_home_cards_officer(self):
        return []

    # -- targets ---------------------------------------------------------------------------

    @api.model
    def _cchc_home_target_cards(self):
        """Targets with traffic lights: missed (red), met (green), and how many got worse.

        The light is the latest value of each target the user may read (its agency's or
        the province's), the trend compares it with the value of the period before."""
        Indicator = self.env["cchc.indicator"]
        if not Indicator.has_access("read"):
            return []
        Value = self.env["cchc.indicator.value"]
        values = Value.search(
            [("indicator_id", "in", Indicator.search([]).ids)], order="date_to desc, id desc"
        )
        latest, previous = {}, {}
        for value in values:
            key = (value.indicator_id.id, value.agency_id.id)
            if key not in latest:
                latest[key] = value
            elif key not in previous and value.date_to < latest[key].date_to:
                previous[key] = value
        missed, met, worse = set(), set(), set()
        for key, value in latest.items():
            (met if value.is_met else missed).add(value.id)
            before = previous.get(key)
            if before and _got_worse(value, before):
                worse.add(value.id)
        return [
            self._cchc_card(
                "targets_missed",
                self.env._("Targets missed"),
                "cchc.indicator.value",
                [("id", "in", sorted(missed))],
                tone="danger",
                hint=self.env._("Latest value of each target, per agency"),
                sequence=30,
            ),
            self._cchc_card(
                "targets_met",
                self.env._("Targets met"),
                "cchc.indicator.value",
                [("id", "in", sorted(met))],
                tone="ok",
                hint=self.env._("Latest value of each target, per agency"),
                sequence=31,
            ),
            self._cchc_card(
                "targets_worse",
                self.env._("Targets getting worse"),
                "cchc.indicator.value",
                [("id", "in", sorted(worse))],
                tone="warning",
                hint=self.env._("Compared with the period before"),
                sequence=32,
            ),
        ]


def _got_worse(value, before):
    """True when ``value`` moved away from its target since ``before``."""
    comparison = value.indicator_id.comparison
    if comparison in ("le", "lt"):
        return value.value > before.value
    if comparison in ("ge", "gt"):
        return value.value < before.value
    return abs(value.value - value.target_value) > abs(before.value - value.target_value)
