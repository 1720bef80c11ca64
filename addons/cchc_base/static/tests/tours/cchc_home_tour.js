/** @odoo-module **/
// A leader logs in, lands on his home screen and opens the records behind a figure.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("cchc_home_leader", {
    steps: () => [
        {
            content: "The leader lands on the home screen",
            trigger: ".o_cchc_home .o_cchc_home_card[data-key='targets_missed'] .o_cchc_home_count:contains(1)",
        },
        {
            content: "Open the targets he missed",
            trigger: ".o_cchc_home_card[data-key='targets_missed']",
            run: "click",
        },
        {
            content: "Exactly the counted value is listed",
            trigger: ".o_list_view tbody:not(:has(.o_data_row ~ .o_data_row)) .o_data_row",
        },
        {
            trigger: ".o_breadcrumb .active:contains(Chỉ tiêu chưa đạt)",
        },
    ],
});

// The home screen is shown with its cards, in Vietnamese (used for the README's screenshots).
registry.category("web_tour.tours").add("cchc_home_shown", {
    steps: () => [
        {
            content: "The home screen is shown in Vietnamese",
            trigger: ".o_cchc_home h1:contains(Trang chủ)",
        },
        {
            content: "Its cards are loaded",
            trigger: ".o_cchc_home .o_cchc_home_card .o_cchc_home_title",
        },
    ],
});
