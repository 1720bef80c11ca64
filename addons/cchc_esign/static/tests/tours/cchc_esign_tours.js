import { registry } from "@web/core/registry";

const openDocument = [
    {
        content: "Open the document",
        trigger: ".o_data_row td.o_data_cell:contains('Quyết định tour')",
        run: "click",
    },
];

function signDialog(buttonLabel) {
    return [
        {
            content: `Open the signing dialog (${buttonLabel})`,
            trigger: `.o_statusbar_buttons button:contains('${buttonLabel}')`,
            run: "click",
        },
        {
            content: "Type the passphrase of the key",
            trigger: ".modal div[name='passphrase'] input",
            run: "edit mat-khau-tour",
        },
        {
            content: "Sign",
            trigger: ".modal-footer button[name='action_sign']",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("cchc_esign_drafter_submits", {
    steps: () => [
        ...openDocument,
        { content: "Submit", trigger: "button[name='action_submit']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='review'].o_arrow_button_current" },
    ],
});

registry.category("web_tour.tours").add("cchc_esign_leader_signs", {
    steps: () => [
        ...openDocument,
        { content: "Approve", trigger: "button[name='action_approve']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='to_sign'].o_arrow_button_current" },
        ...signDialog("Sign"),
        { trigger: ".o_statusbar_status button[data-value='signed'].o_arrow_button_current" },
    ],
});

registry.category("web_tour.tours").add("cchc_esign_clerk_issues", {
    steps: () => [
        ...openDocument,
        ...signDialog("Number and issue"),
        { trigger: ".o_statusbar_status button[data-value='issued'].o_arrow_button_current" },
        {
            content: "The verification panel says valid",
            trigger: "div[name='verdict'] :contains('Valid')",
        },
    ],
});
