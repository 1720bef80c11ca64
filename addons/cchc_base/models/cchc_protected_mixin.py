from odoo import api, models
from odoo.exceptions import AccessError

from ..tools.protect import is_unlocked

# Fields of mail.thread / mail.activity.mixin: posting a message or an activity on a frozen
# record writes these, and they carry no business data.
_ALWAYS_WRITABLE_PREFIXES = ("message_", "activity_", "website_message", "rating_")


class CchcProtectedMixin(models.AbstractModel):
    """Fields and records that only the model's own server code may change.

    A model lists in ``_cchc_protected_fields`` the fields that only its transitions write
    (state, numbers, measured times, verdicts) and says in ``_cchc_is_frozen`` which records
    may no longer change at all (issued, signed, received). Outside ``unlocked(model)`` — a
    token no client can send, see ``cchc_base.tools.protect`` — writing a protected field,
    writing a frozen record, deleting a frozen record, or touching the attachment behind one
    of its binary fields is refused, for every user, administrators and ``sudo()`` included.
    """

    _name = "cchc.protected.mixin"
    _description = "Fields only server code may write"

    # Written only by the model's own methods (inside ``unlocked``).
    _cchc_protected_fields = frozenset()
    # Still writable by a client on a frozen record (notes, followers' fields…).
    _cchc_frozen_writable = frozenset()

    def _cchc_is_frozen(self):
        """Whether this record may no longer change (one record)."""
        return False

    def _cchc_protection_hint(self):
        """Who may change the protected fields, said to the user who was refused."""
        return self.env._("They change only through the record's own actions.")

    def _cchc_frozen_hint(self):
        return self.env._(
            "It is kept as it was issued, signed or received; a correction goes through its "
            "own documented action."
        )

    # ---------------------------------------------------------------- checks

    def _cchc_field_labels(self, names):
        return ", ".join(
            sorted(self._fields[name].get_description(self.env)["string"] for name in names)
        )

    def _cchc_refuse_protected(self, names):
        raise AccessError(
            self.env._(
                "%(model)s: %(fields)s cannot be set directly. %(hint)s",
                model=self._description_translated(),
                fields=self._cchc_field_labels(names),
                hint=self._cchc_protection_hint(),
            )
        )

    def _cchc_refuse_frozen(self, record):
        raise AccessError(
            self.env._(
                "%(model)s %(name)s can no longer be changed or deleted. %(hint)s",
                model=self._description_translated(),
                name=record.display_name,
                hint=record._cchc_frozen_hint(),
            )
        )

    def _description_translated(self):
        return self.env["ir.model"]._get(self._name).name or self._description

    def _cchc_create_protected_fields(self):
        """The protected fields a create may set to their default value only."""
        return self._cchc_protected_fields

    def _cchc_with_client_defaults(self, vals):
        """``vals`` with what ``create`` would add from the context's ``default_<field>`` keys
        and from ``ir.default``: a client sends the first with any call and sets personal
        values of the second, so what they fill in is checked as if the client had sent it."""
        ir_defaults = self.env["ir.default"]._get_model_defaults(self._name)
        names = [
            name
            for name in self._fields
            if name not in vals and (f"default_{name}" in self.env.context or name in ir_defaults)
        ]
        if not names:
            return vals
        return {**self.default_get(names), **vals}

    def _cchc_code_defaults(self, names):
        """The defaults the model's own code gives ``names`` (in the shape ``create`` takes),
        never those of the context or of ``ir.default``."""
        # A new environment, not with_context(), which would keep the keys it is not given.
        context = {k: v for k, v in self.env.context.items() if not k.startswith("default_")}
        clean = self.with_env(self.env(context=context))
        defaults = {}
        for name in names:
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(field.default(clean), clean, validate=False)
                defaults[name] = field.convert_to_write(value, clean)
        return defaults

    def _cchc_check_create(self, vals):
        """Refuse protected values in ``vals`` (pass it through ``_cchc_with_client_defaults``
        first) other than the model's own defaults."""
        protected = set(vals) & self._cchc_create_protected_fields()
        if not protected:
            return
        defaults = self._cchc_code_defaults(protected)
        changed = {
            name for name in protected if (vals[name] or False) != (defaults.get(name) or False)
        }
        if changed:
            self._cchc_refuse_protected(changed)

    def _cchc_check_write(self, vals):
        protected = set(vals) & self._cchc_protected_fields
        if protected:
            self._cchc_refuse_protected(protected)
        business = {
            name
            for name in vals
            if name not in self._cchc_frozen_writable
            and not name.startswith(_ALWAYS_WRITABLE_PREFIXES)
        }
        if business:
            for record in self:
                if record._cchc_is_frozen():
                    self._cchc_refuse_frozen(record)

    def _cchc_check_unlink(self):
        for record in self:
            if record._cchc_is_frozen():
                self._cchc_refuse_frozen(record)

    def _cchc_check_attachment(self, res_field):
        """An attachment of these records is created, changed or deleted."""
        if is_unlocked(self):
            return
        if res_field and res_field in self._cchc_protected_fields:
            self._cchc_refuse_protected({res_field})
        if res_field:
            for record in self.exists():
                if record._cchc_is_frozen() and res_field not in self._cchc_frozen_writable:
                    self._cchc_refuse_frozen(record)

    # ---------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not is_unlocked(self):
            for vals in vals_list:
                self._cchc_check_create(self._cchc_with_client_defaults(vals))
        return super().create(vals_list)

    def write(self, vals):
        if not is_unlocked(self):
            self._cchc_check_write(vals)
        return super().write(vals)

    def unlink(self):
        if not is_unlocked(self):
            self._cchc_check_unlink()
        return super().unlink()
