from .rpc import RpcCase


class HomeCardsCase(RpcCase):
    """Home cards fetched over JSON-RPC as a user: every figure is checked against the
    records its action opens, searched as the same user."""

    def _cards(self, user, context=None):
        self.rpc_login(user)
        cards = {c["key"]: c for c in self.assertRpcOk("cchc.home", "get_cards", context=context)}
        for card in cards.values():
            action = card["action"]
            self.assertEqual(action["type"], "ir.actions.act_window")
            found = self.assertRpcOk(action["res_model"], "search_count", [action["domain"]])
            self.assertEqual(found, card["count"], card["key"])
            self.assertIn(card["tone"], ("danger", "warning", "ok", "info"))
        return cards

    def _ids(self, card):
        action = card["action"]
        return set(self.assertRpcOk(action["res_model"], "search", [action["domain"]]))
