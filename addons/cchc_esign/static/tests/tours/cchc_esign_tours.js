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
        {
            content: "Open the signing dialog",
            trigger: ".o_statusbar_buttons button:contains('Sign')",
            run: "click",
        },
        {
            content: "Mistype the passphrase",
            trigger: ".modal div[name='passphrase'] input",
            run: "edit sai-mat-khau",
        },
        {
            content: "Sign with it",
            trigger: ".modal-footer button[name='action_sign']",
            run: "click",
        },
        {
            content: "The error says so",
            trigger: ".o_error_dialog:contains('Wrong passphrase')",
        },
        {
            content: "Close the error",
            trigger: ".o_error_dialog .modal-footer button.o-default-button",
            run: "click",
        },
        {
            content: "The signing dialog is still open, the document still to sign",
            trigger: "body:not(:has(.o_error_dialog)) .modal div[name='certificate_id']",
        },
        {
            content: "Type the passphrase again, right this time",
            trigger: ".modal div[name='passphrase'] input",
            run: "edit mat-khau-tour",
        },
        {
            content: "Sign",
            trigger: ".modal-footer button[name='action_sign']",
            run: "click",
        },
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
