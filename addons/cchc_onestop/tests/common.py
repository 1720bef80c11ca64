from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command

from odoo.addons.cchc_base.tests.common import CchcBaseCase

# Viet Nam is UTC+7 all year: the tests speak local time, Odoo stores UTC.
VN = timedelta(hours=7)


def local(*args):
    """A naive UTC datetime (as Odoo stores it) for a local Vietnam time."""
    return datetime(*args) - VN


def at(*args):
    """freeze_time at a local Vietnam time."""
    return freeze_time(local(*args))


class CchcOnestopCase(CchcBaseCase):
    """cchc_base's agency tree and users, plus the land and tax agencies, a desk officer per
    agency, a justice procedure with steps and the linked chain investment → land allocation →
    land-use right certificate with a tax step. No demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["cchc.agency"]
        cls.finance = Agency.create(
            {"name": "Sở Tài chính", "identifier": "X01.04", "parent_id": cls.province.id}
        )
        cls.land = Agency.create(
            {
                "name": "Sở Nông nghiệp và Môi trường",
                "identifier": "X01.07",
                "parent_id": cls.province.id,
            }
        )
        cls.land_office = Agency.create(
            {
                "name": "Văn phòng Đăng ký đất đai",
                "identifier": "X01.07.02",
                "kind": "public_service",
                "parent_id": cls.land.id,
            }
        )
        cls.tax = Agency.create(
            {"name": "Thuế tỉnh", "identifier": "X01.15", "parent_id": cls.province.id}
        )
        onestop, user, leader = (
            "cchc_base.group_cchc_onestop",
            "cchc_base.group_cchc_user",
            "cchc_base.group_cchc_leader",
        )
        cls.desk = cls._user("os_desk_tp", onestop, cls.justice)
        cls.commune_desk = cls._user("os_desk_xa", onestop, cls.commune)
        cls.finance_desk = cls._user("os_desk_tc", onestop, cls.finance)
        cls.finance_user = cls._user("os_tc_user", user, cls.finance)
        cls.land_user = cls._user("os_nnmt_user", user, cls.land)
        cls.land_leader = cls._user("os_nnmt_leader", leader, cls.land)
        cls.office_user = cls._user("os_vpdk_user", user, cls.land_office)
        cls.tax_user = cls._user("os_thue_user", user, cls.tax)
        cls.tax_leader = cls._user("os_thue_leader", leader, cls.tax)
        cls.justice.leader_ids = cls.justice_leader
        cls.land.leader_ids = cls.land_leader
        cls.tax.leader_ids = cls.tax_leader
        for person in (cls.desk, cls.justice_user, cls.justice_leader, cls.tax_leader):
            person.email = f"{person.login}@example.com"
        cls.env["cchc.holiday"].generate_statutory([2025, 2026, 2027])

        Field = cls.env["cchc.onestop.field"]
        cls.field_justice = Field.create({"name": "Lý lịch tư pháp"})
        cls.field_land = Field.create({"name": "Đất đai"})
        cls.field_investment = Field.create({"name": "Đầu tư tại Việt Nam"})
        Procedure = cls.env["cchc.onestop.procedure"]
        cls.procedure = Procedure.create(
            {
                "code": "X.000001",
                "name": "Cấp Phiếu lý lịch tư pháp cho công dân",
                "field_id": cls.field_justice.id,
                "competent_agency_id": cls.justice.id,
                "time_unit": "day",
                "time_limit": 5,
                "online_mode": "full",
                "document_ids": [
                    Command.create({"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"}),
                    Command.create({"name": "Bản chụp Căn cước công dân"}),
                    Command.create({"name": "Văn bản ủy quyền", "required": False}),
                ],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Tiếp nhận hồ sơ",
                            "time_limit": 0.5,
                            "handler_id": cls.desk.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Thẩm định, tra cứu",
                            "unit": "Phòng Lý lịch tư pháp",
                            "time_limit": 3,
                            "handler_id": cls.justice_user.id,
                            "sequence": 2,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Lãnh đạo ký",
                            "time_limit": 1,
                            "handler_id": cls.justice_leader.id,
                            "sequence": 3,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Trả kết quả",
                            "time_limit": 0.5,
                            "handler_id": cls.desk.id,
                            "sequence": 4,
                        }
                    ),
                ],
            }
        )
        cls.certify = Procedure.create(
            {
                "code": "X.000002",
                "name": "Chứng thực bản sao từ bản chính",
                "competent_agency_id": cls.commune.id,
                "time_unit": "hour",
                "time_limit": 4,
            }
        )
        # The linked chain of DESIGN.md: investment policy → land allocation → certificate.
        cls.certificate = Procedure.create(
            {
                "code": "X.000103",
                "name": "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
                "field_id": cls.field_land.id,
                "competent_agency_id": cls.land_office.id,
                "time_unit": "day",
                "time_limit": 5,
                "document_ids": [Command.create({"name": "Đơn đăng ký đất đai"})],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Kiểm tra hồ sơ, đo đạc",
                            "agency_id": cls.land_office.id,
                            "time_limit": 2,
                            "handler_id": cls.office_user.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Xác định nghĩa vụ tài chính",
                            "agency_id": cls.tax.id,
                            "time_limit": 2,
                            "handler_id": cls.tax_user.id,
                            "sequence": 2,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Cấp Giấy chứng nhận",
                            "agency_id": cls.land_office.id,
                            "time_limit": 1,
                            "handler_id": cls.office_user.id,
                            "sequence": 3,
                        }
                    ),
                ],
            }
        )
        cls.allocation = Procedure.create(
            {
                "code": "X.000102",
                "name": "Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất",
                "field_id": cls.field_land.id,
                "competent_agency_id": cls.land.id,
                "time_unit": "day",
                "time_limit": 10,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Thẩm định hồ sơ",
                            "time_limit": 6,
                            "handler_id": cls.land_user.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Quyết định giao đất, cho thuê đất",
                            "time_limit": 4,
                            "handler_id": cls.land_leader.id,
                            "sequence": 2,
                        }
                    ),
                ],
            }
        )
        cls.allocation.link_ids = [
            Command.create(
                {
                    "event": "step",
                    "step_id": cls.allocation.step_ids[-1].id,
                    "next_procedure_id": cls.certificate.id,
                }
            )
        ]
        cls.investment = Procedure.create(
            {
                "code": "X.000101",
                "name": "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
                "field_id": cls.field_investment.id,
                "competent_agency_id": cls.finance.id,
                "time_unit": "day",
                "time_limit": 15,
                "document_ids": [
                    Command.create({"name": "Văn bản đề nghị thực hiện dự án đầu tư"}),
                    Command.create({"name": "Đơn đăng ký đất đai", "required": False}),
                ],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Thẩm định",
                            "time_limit": 13,
                            "handler_id": cls.finance_user.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Trình UBND tỉnh chấp thuận",
                            "time_limit": 2,
                            "handler_id": cls.finance_user.id,
                            "sequence": 2,
                        }
                    ),
                ],
                "link_ids": [
                    Command.create({"event": "resolved", "next_procedure_id": cls.allocation.id})
                ],
            }
        )

    @classmethod
    def _new(cls, procedure=None, user=None, provide=True, **vals):
        """A new dossier at the justice desk (or ``vals['agency_id']``), documents provided."""
        procedure = procedure or cls.procedure
        user = user or cls.desk
        dossier = (
            cls.env["cchc.onestop.dossier"]
            .with_user(user)
            .create(
                {
                    "procedure_id": procedure.id,
                    "agency_id": vals.pop("agency_id", user.cchc_agency_id.id),
                    "applicant_name": "Nguyễn Văn An",
                    "applicant_id_number": "079201001234",
                    "applicant_phone": "0909 123 456",
                    "applicant_address": "12 Lê Lợi, phường Thử Nghiệm",
                    "applicant_email": "an@example.com",
                    **vals,
                }
            )
        )
        if provide:
            dossier.document_ids.write({"provided": True})
        return dossier

    @classmethod
    def _received(cls, procedure=None, user=None, **vals):
        dossier = cls._new(procedure, user, **vals)
        dossier._receive()
        return dossier

    def _steps(self, dossier):
        return dossier.step_ids.sorted("sequence")

    def _finish_steps(self, dossier, count):
        """Finish the first ``count`` open steps, each as its handler."""
        for _ in range(count):
            step = dossier.current_step_id
            step.with_user(step.handler_id).action_done()

    def _render(self, report, dossiers, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, _kind = Report._render_qweb_pdf(report, dossiers.ids)
        return html.decode()
