import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/** The home screen: one card per figure of the user's roles; a click opens its records. */
export class CchcHome extends Component {
    static template = "cchc_base.CchcHome";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ cards: [] });
        this.roleTitles = {
            leader: _t("Awaiting your decision"),
            coordinator: _t("Province progress"),
            onestop: _t("One-stop desk"),
            clerk: _t("Documents"),
            officer: _t("Your work this week"),
        };
        onWillStart(() => this.load());
    }

    async load() {
        this.state.cards = await this.orm.call("cchc.home", "get_cards", []);
    }

    get groups() {
        const groups = [];
        for (const card of this.state.cards) {
            let group = groups.find((g) => g.role === card.role);
            if (!group) {
                group = { role: card.role, title: this.roleTitles[card.role] || "", cards: [] };
                groups.push(group);
            }
            group.cards.push(card);
        }
        for (const group of groups) {
            group.cards.sort((a, b) => a.sequence - b.sequence);
        }
        return groups;
    }

    openCard(card) {
        this.action.doAction(card.action);
    }
}

registry.category("actions").add("cchc_home", CchcHome);
