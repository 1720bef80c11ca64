import { registry } from "@web/core/registry";

// A dossier of the investment policy procedure: received at the finance department's desk,
// handled by the department, then decided at the provincial committee's office, returned by
// the desk. The Python side (tests/test_tour.py) checks the dossier after each login.
const APPLICANT = "Công ty TNHH Nông sản Tour";
const CODE_PREFIX = "Z07.04-";

const openDossier = [
    {
        content: "Open the dossier",
        trigger: `.o_data_row td.o_data_cell:contains('${APPLICANT}')`,
        run: "click",
    },
    {
        content: "Its steps",
        trigger: ".o_notebook_headers a:contains('Steps')",
        run: "click",
    },
];

function finishStep(stepName) {
    const row = `.o_field_widget[name='step_ids'] .o_data_row:contains('${stepName}')`;
    return [
        {
            content: `Finish the step '${stepName}'`,
            trigger: `${row} button[name='action_done']`,
            run: "click",
        },
        {
            content: "The step is done",
            trigger: `${row} td[name='state']:contains('Done')`,
        },
    ];
}

function documentRow(documentName) {
    return `.o_field_widget[name='document_ids'] .o_data_row:contains('${documentName}')`;
}

function tickDocument(documentName) {
    return {
        content: `Tick '${documentName}' as brought`,
        trigger: `${documentRow(documentName)} td[name='provided'] input`,
        run: "click",
    };
}

// The desk officer receives the dossier: it gets its code and appointment, the slip is printed.
registry.category("web_tour.tours").add("cchc_onestop_desk_receives", {
    steps: () => [
        {
            content: "A new dossier",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "The applicant",
            trigger: "div[name='applicant_name'] input",
            run: `edit ${APPLICANT}`,
        },
        {
            content: "Choose the procedure",
            trigger: "div[name='procedure_id'] input",
            run: "edit chủ trương đầu tư",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Chấp thuận chủ trương đầu tư')",
            run: "click",
        },
        {
            content: "The applicant is a business",
            trigger: "div[name='applicant_kind'] select",
            run: 'select "business"',
        },
        // Tab, as at the desk: the fields of this page are left for the Documents page, and
        // the tour's later clicks would not commit them.
        {
            content: "Its tax code",
            trigger: "div[name='applicant_id_number'] input",
            run: "edit 1801234567 && press Tab",
        },
        {
            content: "Its phone",
            trigger: "div[name='applicant_phone'] input",
            run: "edit 0292 3812 345 && press Tab",
        },
        {
            content: "The documents of the procedure are listed",
            trigger: ".o_notebook_headers a:contains('Documents')",
            run: "click",
        },
        tickDocument("Văn bản đề nghị thực hiện dự án đầu tư"),
        tickDocument("Đề xuất dự án đầu tư"),
        {
            content: "Done with the checklist",
            trigger: ".o_notebook_headers a:contains('Documents')",
            run: "click",
        },
        {
            trigger: `${documentRow("Văn bản đề nghị thực hiện dự án đầu tư")} td[name='provided'] input:checked`,
        },
        {
            trigger: `${documentRow("Đề xuất dự án đầu tư")} td[name='provided'] input:checked`,
        },
        {
            content: "The optional power of attorney is not brought",
            trigger: `${documentRow("Văn bản ủy quyền")} td[name='provided'] input:not(:checked)`,
        },
        {
            content: "Receive the dossier",
            trigger: ".o_statusbar_buttons button[name='action_receive']",
            run: "click",
        },
        {
            content: "The dossier has its code",
            trigger: `.oe_title div[name='name']:contains('${CODE_PREFIX}')`,
        },
        {
            content: "and its appointment",
            trigger: "div[name='appointment_datetime']:contains('/')",
        },
        {
            trigger: ".o_statusbar_status button[data-value='received'].o_arrow_button_current",
        },
    ],
});

// The finance department's handler finds the dossier among his and finishes his step.
registry.category("web_tour.tours").add("cchc_onestop_finance_handles", {
    steps: () => [
        ...openDossier,
        ...finishStep("Thẩm định hồ sơ dự án"),
        {
            content: "The dossier is being processed",
            trigger: ".o_statusbar_status button[data-value='processing'].o_arrow_button_current",
        },
    ],
});

// The committee office's handler finishes the last step and records the decision.
registry.category("web_tour.tours").add("cchc_onestop_office_decides", {
    steps: () => [
        ...openDossier,
        ...finishStep("Trình UBND tỉnh quyết định"),
        {
            content: "Record the result",
            trigger: ".o_statusbar_buttons button:contains('Record the result')",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".modal div[name='result'] .o_radio_item:contains('Approved') input",
            run: "click",
        },
        {
            content: "The decision",
            trigger: ".modal div[name='result_note'] input",
            run: "edit Quyết định chấp thuận chủ trương đầu tư số 15/QĐ-UBND",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The dossier is resolved",
            trigger: ".o_statusbar_status button[data-value='resolved'].o_arrow_button_current",
        },
    ],
});

// The desk officer finds the dossier to return and hands the result to the applicant.
registry.category("web_tour.tours").add("cchc_onestop_desk_returns", {
    steps: () => [
        {
            content: "Not only the open dossiers",
            trigger: ".o_searchview_facet:contains('Open')",
            run: "hover && click .o_facet_remove",
        },
        {
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The dossiers to return",
            trigger: ".o_filter_menu .o_menu_item:contains('To return')",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('To return')",
        },
        {
            content: "Open the dossier",
            trigger: `.o_data_row:contains('${APPLICANT}') td.o_data_cell:contains('${CODE_PREFIX}')`,
            run: "click",
        },
        {
            content: "The result to return",
            trigger: ".o_notebook_headers a:contains('Result')",
            run: "click",
        },
        {
            trigger: "div[name='result_note'] input:value('15/QĐ-UBND')",
        },
        {
            content: "Return the result",
            trigger: ".o_statusbar_buttons button[name='action_return']",
            run: "click",
        },
        {
            content: "The dossier is returned",
            trigger: ".o_statusbar_status button[data-value='returned'].o_arrow_button_current",
        },
        {
            content: "Resolved before its appointment",
            trigger: "div[name='timeliness']:contains('Early')",
        },
    ],
});
