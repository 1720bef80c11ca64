from datetime import timedelta

from odoo import Command, api, fields, models

from odoo.addons.cchc_base.tools.protect import unlocked

# What is real and what is not (see README, "## cchc_assessment", Demo):
# - REAL: the 8 areas, their maximum points (10, 10, 14.5, 11, 16, 7, 16, 15.5 = 100) and, for
#   areas II-VIII, the number of criteria (4, 5, 4, 9, 3, 5, 3) and, for every area, of
#   sub-criteria (6, 6, 16, 10, 16, 6, 18, 3 = 81) of the provincial reform index approved by
#   Quyết định số 2948/QĐ-BNV ngày 28/12/2017 của Bộ trưởng Bộ Nội vụ, as summarised by the
#   Ministry's training page https://bonoivu.cls.vn/BoNoiVuTemplate/ChiTietKhoaHoc/22610 (that
#   page says "38 tiêu chí", its per-area counts add up to 39; the date is cited by QĐ
#   1823/QĐ-UBND Cần Thơ 23/7/2018).
# - REAL, from a province's department-level set: area I's criteria, sub-criteria, wording,
#   points and scoring scales (``guidance``) are rows 1.1-1.3 of the annex of Cà Mau's Quyết
#   định số 1880/QĐ-UBND năm 2013 (https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/
#   Quyet-dinh-1880-QD-UBND-nam-2013-xac-dinh-Chi-so-Cai-cach-hanh-chinh-Ca-Mau-229973.aspx):
#   1.1 Kế hoạch CCHC năm 5 = 1 + 1 + 1 + 2, 1.2 Báo cáo CCHC 2 = 1 + 1, 1.3 Kiểm tra công tác
#   CCHC 3: 10 points, QĐ 2948's area I total. Cà Mau's area I goes on past row 1.3 (it weighs
#   20) and QĐ 2948 counts 6 criteria in it; neither the rest of Cà Mau's table nor 1.3's
#   sub-rows could be read, so area I holds these three criteria only. The two computed items
#   (1.1.4 plan tasks, 1.2.1 reports) thus carry Cà Mau's own points tables: above 90% 2, 70-90%
#   1, below 0 (our bands are "at least", so exactly 90% earns 2), and all on time 1, else 0.
# - NOT REAL: in areas II-VIII the wording of the criteria and sub-criteria (paraphrases), which
#   criterion holds how many of its area's sub-criteria, and every point below the area:
#   ``_split`` divides an area's points evenly over its criteria and a criterion's over its
#   sub-criteria. No reachable page carries a whole department-level annex table (searches listed
#   in the README, the last on 2026-12-05: Quảng Ninh 3463/QĐ-UBND 25/11/2022, Hà Nam
#   1156/QĐ-UBND 09/10/2023, Sơn La 2712/QĐ-UBND 31/10/2025, Nam Định 2183/QĐ-UBND 03/11/2023
#   are reachable only up to their preamble).
# Each area: (name, points, [criterion]); a criterion: (name, [sub-criterion] or [], points or
# None); a sub-criterion: a name, or (name, points, guidance). ``None`` / a bare name: a share of
# what the real rows of the same parent leave (``_split``).
CA_MAU = "QĐ 1880/QĐ-UBND tỉnh Cà Mau năm 2013: "
DEMO_SET = [
    (
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        10,
        [
            (
                "Kế hoạch CCHC năm",
                [
                    (
                        "Ban hành kế hoạch CCHC năm",
                        1,
                        CA_MAU + "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; "
                        "Không ban hành: 0.",
                    ),
                    (
                        "Xác định đầy đủ các nhiệm vụ CCHC trên các lĩnh vực theo kế hoạch năm "
                        "của UBND tỉnh và bố trí kinh phí thực hiện",
                        1,
                        CA_MAU + "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác "
                        "định đầy đủ nhiệm vụ hoặc không bố trí kinh phí: 0.",
                    ),
                    (
                        "Các kết quả phải đạt được xác định rõ ràng, cụ thể và định rõ trách "
                        "nhiệm triển khai của phòng, ban, đơn vị trực thuộc",
                        1,
                        CA_MAU + "Đạt yêu cầu: 1; Không đạt yêu cầu: 0.",
                    ),
                    (
                        "Mức độ thực hiện kế hoạch CCHC",
                        2,
                        CA_MAU + "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế "
                        "hoạch: 1; Dưới 70% kế hoạch: 0.",
                    ),
                ],
                5,
            ),
            (
                "Báo cáo CCHC",
                [
                    (
                        "Tất cả báo cáo được gửi đúng thời gian quy định (báo cáo quí I, quí "
                        "III, báo cáo 6 tháng và báo cáo năm)",
                        1,
                        CA_MAU + "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng "
                        "báo cáo hoặc không đúng thời gian quy định: 0.",
                    ),
                    (
                        "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn",
                        1,
                        CA_MAU + "Đạt yêu cầu: 1; Không đạt yêu cầu: 0.",
                    ),
                ],
                2,
            ),
            ("Kiểm tra công tác CCHC", [], 3),
        ],
    ),
    (
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
        10,
        [
            ("Tham mưu xây dựng văn bản quy phạm pháp luật", ["Đúng tiến độ", "Đúng quy trình"]),
            ("Theo dõi thi hành pháp luật", ["Kế hoạch theo dõi", "Báo cáo kết quả"]),
            ("Rà soát, hệ thống hóa văn bản", ["Thực hiện rà soát", "Xử lý kết quả rà soát"]),
            ("Tổ chức thực hiện văn bản quy phạm pháp luật", []),
        ],
    ),
    (
        "Cải cách thủ tục hành chính",
        14.5,
        [
            (
                "Rà soát, đánh giá thủ tục hành chính",
                [
                    "Kế hoạch rà soát",
                    "Mức độ hoàn thành",
                    "Kiến nghị đơn giản hóa",
                    "Được chấp thuận",
                ],
            ),
            (
                "Công bố, công khai thủ tục hành chính",
                [
                    "Công bố đúng hạn",
                    "Công khai tại bộ phận một cửa",
                    "Công khai trên cổng dịch vụ công",
                ],
            ),
            (
                "Thực hiện cơ chế một cửa, một cửa liên thông",
                [
                    "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "Thư xin lỗi khi trễ hạn",
                    "Số hóa hồ sơ, kết quả",
                ],
            ),
            (
                "Tiếp nhận, xử lý phản ánh, kiến nghị",
                ["Công khai địa chỉ tiếp nhận", "Xử lý đúng hạn", "Công khai kết quả xử lý"],
            ),
            (
                "Dịch vụ công trực tuyến",
                ["Tỷ lệ hồ sơ trực tuyến", "Thanh toán trực tuyến", "Kết nối, chia sẻ dữ liệu"],
            ),
        ],
    ),
    (
        "Cải cách tổ chức bộ máy hành chính",
        11,
        [
            (
                "Sắp xếp tổ chức bộ máy",
                ["Quy định chức năng, nhiệm vụ", "Sắp xếp đơn vị trực thuộc", "Giảm đầu mối"],
            ),
            (
                "Quản lý biên chế",
                ["Sử dụng biên chế được giao", "Tinh giản biên chế", "Vị trí việc làm"],
            ),
            ("Phân cấp, ủy quyền", ["Thực hiện phân cấp", "Kiểm tra việc phân cấp"]),
            ("Đơn vị sự nghiệp công lập", ["Sắp xếp đơn vị", "Tự chủ tài chính"]),
        ],
    ),
    (
        "Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức",
        16,
        [
            (
                "Vị trí việc làm và cơ cấu ngạch",
                ["Phê duyệt vị trí việc làm", "Bố trí theo vị trí"],
            ),
            ("Tuyển dụng", ["Đúng quy định", "Công khai"]),
            ("Bổ nhiệm lãnh đạo", ["Đúng quy trình", "Đúng tiêu chuẩn"]),
            ("Đánh giá, xếp loại", ["Đúng quy định", "Gắn với kết quả công việc"]),
            ("Đào tạo, bồi dưỡng", ["Kế hoạch đào tạo", "Mức độ hoàn thành"]),
            ("Kỷ luật, kỷ cương hành chính", ["Chấp hành giờ giấc", "Xử lý vi phạm"]),
            ("Cải cách chế độ tiền lương", ["Thực hiện chế độ", "Nâng lương đúng hạn"]),
            ("Văn hóa công vụ", ["Quy tắc ứng xử", "Không có phản ánh tiêu cực"]),
            ("Thi đua, khen thưởng", []),
        ],
    ),
    (
        "Cải cách tài chính công",
        7,
        [
            (
                "Quản lý, sử dụng ngân sách",
                ["Giải ngân đúng tiến độ", "Công khai ngân sách", "Thực hiện kiến nghị kiểm toán"],
            ),
            ("Quản lý tài sản công", ["Quy chế quản lý", "Sắp xếp tài sản"]),
            ("Cơ chế tự chủ", ["Quy chế chi tiêu nội bộ"]),
        ],
    ),
    (
        "Hiện đại hóa hành chính",
        16,
        [
            (
                "Ứng dụng công nghệ thông tin",
                [
                    "Kế hoạch ứng dụng CNTT",
                    "Hệ thống quản lý văn bản",
                    "Văn bản điện tử gửi nhận",
                    "Chữ ký số",
                    "An toàn thông tin",
                ],
            ),
            (
                "Cổng, trang thông tin điện tử",
                ["Cập nhật thông tin", "Chuyên mục CCHC", "Tiếp nhận góp ý"],
            ),
            (
                "Hệ thống quản lý chất lượng ISO",
                ["Áp dụng ISO", "Duy trì, cải tiến", "Công bố phù hợp"],
            ),
            (
                "Chuyển đổi số",
                [
                    "Kế hoạch chuyển đổi số",
                    "Cơ sở dữ liệu chuyên ngành",
                    "Chia sẻ dữ liệu",
                    "Kỹ năng số",
                ],
            ),
            (
                "Trụ sở và trang thiết bị",
                ["Bộ phận một cửa đạt chuẩn", "Trang thiết bị", "Biển chỉ dẫn"],
            ),
        ],
    ),
    (
        "Tác động của cải cách hành chính đến người dân, tổ chức",
        15.5,
        [
            ("Sự hài lòng của người dân, tổ chức", ["Điều tra xã hội học về sự hài lòng"]),
            ("Thực hiện chỉ tiêu phát triển của ngành", ["Mức độ đạt chỉ tiêu"]),
            ("Chất lượng tham mưu của ngành", ["Đánh giá của lãnh đạo tỉnh"]),
        ],
    ),
]
# Sub-criteria measured from the system's data: name → (source xml id, points table in % of
# the maximum: figure at least → share of the points). cchc_demo depends on every addon that
# defines these sources, so each one must resolve (a wrong xml id fails the demo, it is not
# skipped).
COMPUTED = {
    # Cà Mau QĐ 1880/QĐ-UBND 2013, row 1.1.4 (2 points): above 90% 2, 70-90% 1, below 0.
    "Mức độ thực hiện kế hoạch CCHC": (
        "cchc_assessment.indicator_source_task_completion",
        ((90, 1), (70, 0.5)),
    ),
    # Cà Mau QĐ 1880/QĐ-UBND 2013, row 1.2.1 (1 point): every report on time, or nothing.
    "Tất cả báo cáo được gửi đúng thời gian quy định (báo cáo quí I, quí III, báo cáo 6 tháng "
    "và báo cáo năm)": (
        "cchc_assessment.indicator_source_report_on_time",
        ((100, 1),),
    ),
    "Tỷ lệ hồ sơ giải quyết đúng hạn": (
        "cchc_onestop.indicator_source_on_time_rate",
        ((98, 1), (90, 0.5)),
    ),
    "Tỷ lệ hồ sơ trực tuyến": (
        "cchc_onestop.indicator_source_online_rate",
        ((80, 1), (50, 0.5)),
    ),
    "Văn bản điện tử gửi nhận": (
        "cchc_exchange.indicator_source_outgoing_electronic",
        ((100, 1), (90, 0.5)),
    ),
}
SURVEY = {"Điều tra xã hội học về sự hài lòng", "Đánh giá của lãnh đạo tỉnh"}
# Records of this year an agency links as evidence of a self-scored item of its scorecard
# (``cchc.assessment.evidence.link``), as its own user, before it submits: agency xml id →
# (user xml id, [(item, kind of record)]). VP UBND's scorecard stays in self-assessment, Sở Nội
# vụ's is submitted, Sở Tư pháp's proposed (``_demo_play``'s stages by identifier).
EVIDENCE_LINKS = {
    "cchc_demo.agency_vp_ubnd": (
        "cchc_demo.user_vanthu",
        [("Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "report")],
    ),
    "cchc_demo.agency_so_noi_vu": (
        "cchc_demo.user_chuyenvien_noivu",
        [
            ("Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "report"),
            ("Chữ ký số", "document"),
        ],
    ),
    "cchc_demo.agency_so_tu_phap": (
        "cchc_demo.user_giamdoc_tuphap",
        [
            ("Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", "report"),
            ("Chữ ký số", "document"),
            ("Số hóa hồ sơ, kết quả", "dossier"),
        ],
    ),
}


def _split(total, count):
    """``total`` points in ``count`` parts of quarter points that add up exactly."""
    quarters = round(total * 4)
    base, extra = divmod(quarters, count)
    return [(base + (1 if i < extra else 0)) / 4 for i in range(count)]


def _points(total, given):
    """The points of a node's children: the real ones as given, what they leave split evenly
    (``_split``) over the others (``None``)."""
    rest = total - sum(p for p in given if p is not None)
    shares = iter(_split(rest, sum(p is None for p in given)) if None in given else [])
    return [next(shares) if p is None else p for p in given]


def _criteria(criteria):
    """Criteria as (name, [(sub name, points or None, guidance)], points or None)."""
    result = []
    for criterion in criteria:
        name, subs, points = (*criterion, None)[:3]
        subs = [(sub, None, False) if isinstance(sub, str) else sub for sub in subs]
        result.append((name, subs, points))
    return result


class CchcAssessmentDemo(models.AbstractModel):
    """Demo assessment: a criteria set on QĐ 2948/QĐ-BNV's areas (area I: Cà Mau's rows) and two
    campaigns."""

    _name = "cchc.assessment.demo"
    _description = "Reform index demo data"

    @api.model
    def _demo_criteria_set(self, year):
        Criterion = self.env["cchc.assessment.criterion"]
        set_ = self.env["cchc.assessment.set"].create(
            {
                "name": f"Bộ chỉ số CCHC các sở, ban, ngành năm {year}",
                "year": year,
                "agency_kind": "department",
                "decision": "Lĩnh vực và điểm lĩnh vực theo Quyết định số 2948/QĐ-BNV ngày "
                "28/12/2017 của Bộ Nội vụ; lĩnh vực I theo các mục 1.1-1.3 Quyết định số "
                "1880/QĐ-UBND năm 2013 của UBND tỉnh Cà Mau; điểm các tiêu chí lĩnh vực II-VIII: "
                "minh họa, chia đều",
            }
        )
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
        number = 0
        for area_index, (area_name, area_points, criteria) in enumerate(DEMO_SET):
            area = Criterion.create(
                {
                    "set_id": set_.id,
                    "code": roman[area_index],
                    "name": area_name,
                    "max_points": area_points,
                    "sequence": area_index,
                }
            )
            criteria = _criteria(criteria)
            for crit_points, (crit_name, subs, _given) in zip(
                _points(area_points, [c[2] for c in criteria]), criteria, strict=True
            ):
                number += 1
                criterion = Criterion.create(
                    {
                        "set_id": set_.id,
                        "parent_id": area.id,
                        "code": str(number),
                        "name": crit_name,
                        "max_points": crit_points,
                        "sequence": number,
                    }
                )
                sub_points = _points(crit_points, [sub[1] for sub in subs]) if subs else []
                for sub_index, (points, (sub_name, _given, guidance)) in enumerate(
                    zip(sub_points, subs, strict=True), 1
                ):
                    vals = {
                        "set_id": set_.id,
                        "parent_id": criterion.id,
                        "code": f"{number}.{sub_index}",
                        "name": sub_name,
                        "max_points": points,
                        "guidance": guidance,
                        "sequence": sub_index,
                    }
                    if sub_name in COMPUTED:
                        source = self.env.ref(COMPUTED[sub_name][0])
                        vals.update(
                            method="computed",
                            source_id=source.id,
                            band_ids=[
                                Command.create({"threshold": t, "points": round(points * s, 2)})
                                for t, s in COMPUTED[sub_name][1]
                            ],
                        )
                    elif sub_name in SURVEY:
                        vals["method"] = "survey"
                    Criterion.create(vals)
        return set_

    @api.model
    def _demo_populate(self):
        """Two campaigns, as a province lives them in December: last year's published (the
        ranking and the comparison), this year's open since the demo was installed, with
        scorecards in every stage and its computed items measured from this year's demo data
        (the dossiers, documents, plan tasks and reports of cchc_demo are this year's)."""
        year = fields.Date.context_today(self).year
        coordinator = self.env.ref("cchc_demo.user_dieuphoi")
        council = self.env.ref("cchc_demo.user_giamdoc_noivu")
        Campaign = self.env["cchc.assessment.campaign"]
        campaigns = Campaign.browse()
        for campaign_year in (year - 1, year):
            set_ = self._demo_criteria_set(campaign_year)
            campaign = Campaign.create(
                {
                    "name": f"Xác định Chỉ số CCHC năm {campaign_year} các sở, ban, ngành",
                    "year": campaign_year,
                    "set_ids": [Command.set(set_.ids)],
                }
            )
            campaign.with_user(coordinator).action_open()
            campaigns |= campaign
        previous, current = campaigns
        self._demo_play(previous, coordinator, council, ["final"] * 99, seed=3, appraise=True)
        previous.with_user(coordinator).action_rank()
        previous.with_user(coordinator).action_publish()
        # By identifier: the exchange's partner province (H56) final, then Văn phòng UBND tỉnh
        # in self-assessment, Sở Nội vụ submitted, Sở Tư pháp proposed… (``EVIDENCE_LINKS``).
        stages = ["final", "draft", "submitted", "proposed", "answered"]
        self._demo_play(current, coordinator, council, stages * 4, seed=7)
        current.with_user(coordinator).action_rank()
        return True

    @api.model
    def _demo_play(self, campaign, coordinator, council, stages, seed, appraise=False):
        """Agencies score themselves with explanations, the council trims some scores with a
        reason and fills the survey, and each scorecard stops at its demo stage.

        ``appraise``: the year's records are not in the system (the demo's data is this
        year's), so the council enters the points of each computed item without a figure from
        the agency's reports, with that reason; the items with a figure keep its points."""
        cards = campaign.scorecard_ids.sorted(lambda c: c.agency_id.identifier or "")
        for index, (card, stage) in enumerate(zip(cards, stages, strict=False)):
            shares = (1.0, 0.9, 0.75, 0.85, 0.95, 0.6)
            for line_index, line in enumerate(
                card.line_ids.filtered(lambda line: line.method == "self")
            ):
                share = shares[(index * seed + line_index) % len(shares)]
                line.write(
                    {
                        "self_score": round(line.max_points * share * 4) / 4,
                        "evidence_note": "Minh chứng: văn bản, báo cáo của cơ quan năm "
                        f"{campaign.year} (tự đánh giá).",
                    }
                )
            if not appraise:
                self._demo_link_evidence(card)
            if stage == "draft":
                continue
            # The agency's leader submits (a director of the department); the coordinator
            # only for an agency without one in the demo.
            leader = card.agency_id.member_ids.filtered(
                lambda user: user.has_group("cchc_base.group_cchc_leader")
            )[:1]
            card.with_user(leader or coordinator).action_submit()
            self_lines = card.line_ids.filtered(
                lambda line: line.method == "self" and line.self_score
            )
            for line in self_lines[index % 3 :: 9]:
                line.with_user(council)._adjust(
                    max(0.0, line.self_score - 0.25),
                    "Tài liệu kiểm chứng chưa thể hiện đầy đủ nội dung tự chấm.",
                )
            if appraise:
                missing = card.line_ids.filtered(
                    lambda line: line.method == "computed" and not line.has_figure
                )
                for line_index, line in enumerate(missing):
                    share = shares[(index * seed + line_index) % len(shares)]
                    line.with_user(council)._adjust(
                        round(line.max_points * share * 4) / 4,
                        f"Năm {campaign.year} hệ thống chưa có số liệu: Hội đồng thẩm định chấm "
                        "theo báo cáo và tài liệu kiểm chứng của cơ quan.",
                    )
            for line in card.line_ids.filtered(lambda line: line.method == "survey"):
                line.with_user(council)._adjust(
                    round(line.max_points * (0.7 + 0.05 * (index % 6)) * 4) / 4,
                    "Kết quả điều tra xã hội học do Sở Nội vụ tổ chức.",
                )
            if stage == "submitted":
                continue
            card.with_user(council).action_propose()
            if stage == "answered":
                agency_user = card.agency_id.member_ids[:1] or self.env.ref(
                    "cchc_demo.user_chutich"
                )
                card.with_user(agency_user).write(
                    {
                        "answer_note": "Đề nghị Hội đồng xem xét lại tiêu chí đã trừ điểm: cơ "
                        "quan bổ sung văn bản kèm theo."
                    }
                )
                card.with_user(agency_user).action_answer()
            if stage in ("final",):
                with unlocked(card):
                    card.sudo().answer_deadline = fields.Date.context_today(self) - timedelta(1)
                card.with_user(council).action_finalise()

    @api.model
    def _demo_link_evidence(self, card):
        """The agency's user links its own records of the campaign's year to self-scored items
        (``EVIDENCE_LINKS``) through the model's create, with that user's rights: the server
        checks the records are readable to it and keeps their number, subject and date."""
        for agency_xmlid, (user_xmlid, items) in EVIDENCE_LINKS.items():
            if card.agency_id != self.env.ref(agency_xmlid):
                continue
            as_user = self.env(user=self.env.ref(user_xmlid))
            year = card.campaign_id.year
            first, last = f"{year}-01-01", f"{year}-12-31"
            agency = [("agency_id", "=", card.agency_id.id)]
            records = {
                "report": as_user["cchc.plan.report"].search(
                    [
                        *agency,
                        ("is_consolidated", "=", False),
                        ("submitted_on", "!=", False),
                        ("due_date", ">=", first),
                        ("due_date", "<=", last),
                    ]
                ),
                "document": as_user["cchc.document"].search(
                    [
                        *agency,
                        ("direction", "=", "out"),
                        ("state", "=", "issued"),
                        ("issue_date", ">=", first),
                        ("issue_date", "<=", last),
                    ]
                ),
                "dossier": as_user["cchc.onestop.dossier"].search(
                    [*agency, ("received_date", ">=", first), ("received_date", "<=", last)],
                    limit=1,
                ),
            }
            lines = card.line_ids.filtered(lambda line: line.method == "self")
            vals_list = []
            for item, kind in items:
                line = lines.filtered(lambda line, item=item: line.criterion_id.name == item)
                line.ensure_one()
                # The demo must show what it says: no record, no silent gap.
                if not records[kind]:
                    raise ValueError(f"{card.agency_id.name}: no {kind} of {year} to link")
                vals_list += [
                    {"score_id": line.id, "record_ref": f"{record._name},{record.id}"}
                    for record in records[kind]
                ]
            as_user["cchc.assessment.evidence.link"].create(vals_list)
