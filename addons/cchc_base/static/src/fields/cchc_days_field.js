import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

export function formatDays(value) {
    return value === false ? "" : formatFloat(value, { digits: [16, 2], trailingZeros: false });
}

/**
 * Working days (or hours) as a catalogue prints them: "35", "0,5" — never "35,00".
 * Time limits are whole days but for the odd half day, so the decimals shown are only
 * the ones the value has (at most the field's digits).
 */
export class CchcDaysField extends FloatField {
    get formattedValue() {
        if (this.props.inputType === "number" && !this.props.readonly && this.value) {
            return this.value;
        }
        return formatDays(this.value);
    }
}

export const cchcDaysField = {
    ...floatField,
    component: CchcDaysField,
};

registry.category("fields").add("cchc_days", cchcDaysField);
// A list's totals are formatted by the widget's formatter.
registry.category("formatters").add("cchc_days", formatDays);
