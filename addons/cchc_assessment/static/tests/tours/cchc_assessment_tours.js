/** @odoo-module **/
// The yearly cycle of the reform index, each part played by the role that does it. Selectors
// use field and button names, so the tours run in any language (the demo users see Vietnamese).
import { registry } from "@web/core/registry";

const ITEM = "Ban hành kế hoạch CCHC";
const AGENCY = "Sở Tư pháp Tour";

function openScorecard() {
    return [
        {
            content: "Open the agency's scorecard",
            trigger: `.o_data_row td:contains('${AGENCY}')`,
            run: "click",
        },
        {
            content: "The scorecard's lines are shown",
            trigger: `.o_field_one2many .o_data_row:contains('${ITEM}')`,
        },
    ];
}

function stage(value) {
    return {
        content: `The scorecard is at the stage ${value}`,
        trigger: `.o_statusbar_status button[data-value='${value}'].o_arrow_button_current`,
    };
}

registry.category("web_tour.tours").add("cchc_assessment_self_score", {
    steps: () => [
        ...openScorecard(),
        {
            content: "Score the item",
            trigger: `.o_field_one2many .o_data_row:contains('${ITEM}') td[name=self_score]`,
            run: "click",
        },
        {
            trigger: ".o_selected_row td[name=self_score] input",
            run: "edit 3",
        },
        {
            content: "Explain the score with the evidence's reference",
            trigger: ".o_selected_row td[name=evidence_note] textarea",
            run: "edit Kế hoạch số 12/KH-STP ngày 10/01",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the score counts",
            trigger: `.o_data_row:contains('${ITEM}') td[name=final_score]:contains('3')`,
        },
    ],
});

registry.category("web_tour.tours").add("cchc_assessment_submit", {
    steps: () => [
        ...openScorecard(),
        {
            content: "The leader submits",
            trigger: "button[name=action_submit]",
            run: "click",
        },
        stage("submitted"),
    ],
});

registry.category("web_tour.tours").add("cchc_assessment_appraise", {
    steps: () => [
        ...openScorecard(),
        {
            content: "The council adjusts the item",
            trigger: `.o_data_row:contains('${ITEM}') button[name=action_adjust]`,
            run: "click",
        },
        {
            trigger: ".modal div[name=new_score] input",
            run: "edit 2",
        },
        {
            content: "…with a reason",
            trigger: ".modal div[name=reason] textarea",
            run: "edit Kế hoạch ban hành sau thời hạn",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The new score is on the line",
            trigger: `.o_data_row:contains('${ITEM}') td[name=final_score]:contains('2')`,
        },
        {
            content: "Send the proposed scores to the agency",
            trigger: "button[name=action_propose]",
            run: "click",
        },
        stage("proposed"),
    ],
});

registry.category("web_tour.tours").add("cchc_assessment_answer", {
    steps: () => [
        ...openScorecard(),
        {
            content: "The agency reads the council's reason",
            trigger: `.o_data_row:contains('${ITEM}') td[name=council_reason]:contains('sau thời hạn')`,
        },
        {
            trigger: ".o_notebook .nav-link[name=answer]",
            run: "click",
        },
        {
            content: "The agency answers",
            trigger: "div[name=answer_note] textarea",
            run: "edit Kế hoạch ban hành đúng hạn, kèm văn bản số 12/KH-STP",
        },
        {
            trigger: "button[name=action_answer]",
            run: "click",
        },
        stage("answered"),
    ],
});

registry.category("web_tour.tours").add("cchc_assessment_finalise", {
    steps: () => [
        ...openScorecard(),
        {
            content: "The council finalises",
            trigger: "button[name=action_finalise]",
            run: "click",
        },
        stage("final"),
    ],
});

registry.category("web_tour.tours").add("cchc_assessment_publish", {
    steps: () => [
        {
            content: "Open the campaign",
            trigger: ".o_data_row td:contains('Chỉ số CCHC Tour')",
            run: "click",
        },
        {
            content: "Rank the agencies",
            trigger: "button[name=action_rank]",
            run: "click",
        },
        {
            content: "Publish the results",
            trigger: "button[name=action_publish]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button[data-value='published'].o_arrow_button_current",
        },
        {
            content: "See the ranking",
            trigger: "button[name=action_view_ranking]",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${AGENCY}') td[name=grade]`,
        },
    ],
});

// The officer links a periodic report of the agency as evidence of a self-scored item, from
// the item's evidence dialog (📎), picking the kind and then the report.
registry.category("web_tour.tours").add("cchc_assessment_link_evidence", {
    steps: () => [
        ...openScorecard(),
        {
            content: "Open the item's evidence",
            trigger: `.o_data_row:contains('${ITEM}') button[name=action_edit_evidence]`,
            run: "click",
        },
        {
            content: "Add a linked record",
            trigger: ".modal div[name=evidence_link_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "A periodic report",
            trigger: ".modal div[name=evidence_link_ids] .o_selected_row td[name=record_ref] select",
            run: "select cchc.plan.report",
        },
        {
            trigger: ".modal div[name=evidence_link_ids] .o_selected_row td[name=record_ref] input",
            run: "edit Quý",
        },
        {
            content: "Only the agency's own reports are offered",
            trigger: ".o-autocomplete--dropdown-item:contains('Sở Tư pháp Tour')",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Saved: the line counts one linked record",
            trigger: `body:not(:has(.modal)) .o_data_row:contains('${ITEM}') td[name=evidence_link_count]:contains('1')`,
        },
    ],
});
