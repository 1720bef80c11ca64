import { registry } from "@web/core/registry";

// An agency officer reports progress on a task of the plan.
registry.category("web_tour.tours").add("cchc_plan_task_update", {
    url: "/odoo/action-cchc_plan.cchc_task_action",
    steps: () => [
        {
            content: "Open the task the agency leads",
            trigger: ".o_data_row td.o_data_cell:contains('Rà soát văn bản')",
            run: "click",
        },
        {
            content: "Report the progress",
            trigger: "div[name='cchc_progress'] input",
            run: "edit 100",
        },
        {
            content: "Describe the result",
            trigger: "div[name='cchc_result'] textarea",
            run: "edit Đã rà soát 120 văn bản",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The list shows the task done",
            trigger: ".o_data_row:contains('Rà soát văn bản') .o_progressbar_value:contains('100')",
        },
    ],
});

// The agency leader refreshes the periodic report and submits it.
registry.category("web_tour.tours").add("cchc_plan_report_submit", {
    url: "/odoo/action-cchc_plan.cchc_plan_report_action",
    steps: () => [
        {
            content: "Open the agency's report",
            trigger: ".o_data_row td.o_data_cell:contains('Sở Tư pháp')",
            run: "click",
        },
        {
            content: "Take the latest status of the tasks",
            trigger: "button[name='action_refresh_lines']",
            run: "click",
        },
        {
            content: "The task is listed as done",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Rà soát văn bản')",
        },
        {
            content: "Write the results",
            trigger: ".o_notebook_headers a:contains('Results')",
            run: "click",
        },
        {
            trigger: "div[name='results'] textarea",
            run: "edit Hoàn thành rà soát văn bản quy phạm pháp luật",
        },
        {
            content: "Submit",
            trigger: "button[name='action_submit']",
            run: "click",
        },
        {
            content: "The report is submitted",
            trigger: ".o_statusbar_status button[data-value='submitted'].o_arrow_button_current",
        },
    ],
});
