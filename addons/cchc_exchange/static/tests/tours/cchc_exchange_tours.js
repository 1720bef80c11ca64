import { registry } from "@web/core/registry";

// The receiving side, played by the receiving agency's director, then by the officer he chose.
const incomingRow = ".o_data_row:has(td[name='origin_code']:contains('01/QĐ-UBND'))";

const openIncoming = [
    {
        content: "The incoming list shows the number, notation and signer",
        trigger: `${incomingRow}:has(td[name='signer_name']:contains('Nguyễn Văn An'))`,
    },
    {
        content: "Open the received document",
        trigger: `${incomingRow} td[name='name']`,
        run: "click",
    },
    {
        content: "The form shows the number, notation and signer",
        trigger: ".o_form_view h1:contains('01/QĐ-UBND')",
    },
    { trigger: ".o_form_view div[name='signer_name']:contains('Nguyễn Văn An')" },
];

registry.category("web_tour.tours").add("cchc_exchange_incoming_list", {
    steps: () => [
        {
            content: "The incoming list shows the number, notation and signer",
            trigger: `${incomingRow}:has(td[name='signer_name']:contains('Nguyễn Văn An'))`,
        },
    ],
});

registry.category("web_tour.tours").add("cchc_exchange_director_assigns", {
    steps: () => [
        ...openIncoming,
        {
            content: "No edit or delete icon on the received PDF",
            trigger: ".o_form_view div[name='pdf']:not(:has(.fa-pencil, .fa-trash, .o_clear_file_button))",
        },
        {
            content: "Assign",
            trigger: ".o_statusbar_buttons button.o_cchc_assign",
            run: "click",
        },
        {
            content: "Choose the officer",
            trigger: ".modal div[name='user_id'] input",
            run: "edit Chuyên Viên Tour",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Chuyên Viên Tour')",
            run: "click",
        },
        {
            content: "Three working days",
            trigger: ".modal div[name='days'] input",
            run: "edit 3",
        },
        {
            content: "The deadline is shown before assigning",
            trigger: ".modal div[name='deadline']:not(:empty)",
        },
        {
            content: "Assign",
            trigger: ".modal-footer button[name='action_assign']",
            run: "click",
        },
        {
            content: "The handling is tracked on the form",
            trigger: ".o_form_view div[name='handler_id']:contains('Chuyên Viên Tour')",
        },
    ],
});

registry.category("web_tour.tours").add("cchc_exchange_officer_closes", {
    steps: () => [
        ...openIncoming,
        {
            content: "Close the handling",
            trigger: ".o_statusbar_buttons button[name='action_complete_handling']",
            run: "click",
        },
        {
            content: "Write the result",
            trigger: ".modal div[name='result'] textarea",
            run: "edit Đã tham mưu công văn trả lời",
        },
        {
            content: "Close it",
            trigger: ".modal-footer button[name='action_complete']",
            run: "click",
        },
        {
            content: "The result is on the form",
            trigger: ".o_form_view div[name='handling_result']:contains('Đã tham mưu công văn trả lời')",
        },
    ],
});

registry.category("web_tour.tours").add("cchc_exchange_form_shown", {
    steps: () => [
        ...openIncoming,
        {
            content: "The verification panel names the signer, in Vietnamese",
            trigger: ".o_cchc_verification_panel:contains('Nguyễn Văn An'):contains('giờ Việt Nam')",
            run() {
                this.anchor.scrollIntoView({ block: "center" });
            },
        },
    ],
});
