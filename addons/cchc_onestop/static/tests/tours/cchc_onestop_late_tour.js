import { registry } from "@web/core/registry";

// The desk officer, in Vietnamese, finds the dossier past its appointment (tests/test_tour_late.py).
const LATE = "Nguyễn Văn Trễ";
const ON_TIME = "Trần Thị Đúng";

registry.category("web_tour.tours").add("cchc_onestop_late_dossier", {
    steps: () => [
        {
            content: "The late dossier is red in the list",
            trigger: `.o_data_row.text-danger:contains('${LATE}')`,
        },
        {
            content: "The dossier on time is not",
            trigger: `.o_data_row:not(.text-danger):contains('${ON_TIME}')`,
        },
        {
            // 'Open' and 'Quá hạn' are alternatives of one group: the desk drops the default.
            content: "Remove the default filter",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Only the dossiers past their appointment",
            trigger: ".o_filter_menu .o_menu_item:contains('Quá hạn')",
            run: "click",
        },
        {
            content: "The late dossier is under 'Quá hạn', the one on time is not",
            trigger: `.o_list_renderer:not(:has(.o_data_row:contains('${ON_TIME}'))) .o_data_row:contains('${LATE}')`,
        },
        {
            content: "Open it",
            trigger: `.o_data_row td.o_data_cell:contains('${LATE}')`,
            run: "click",
        },
        {
            content: "Its form says it is late",
            trigger: ".o_form_view .ribbon:contains('Quá hạn')",
        },
        {
            content: "Its processing time in whole working days: '5', not '5,00'",
            trigger: ".o_field_widget[name='time_limit'] span:not(:contains(','))",
            run() {
                const text = this.anchor.textContent.trim();
                if (text !== "5") {
                    throw new Error(`processing time shown as '${text}'`);
                }
            },
        },
    ],
});
