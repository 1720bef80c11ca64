import { registry } from "@web/core/registry";

// The citizen's side on a phone (tests/test_tour.py runs them at 390×844 with touch): find a
// procedure, file it online with two files, answer a supplement online, rate the result; and
// the tracking page opened from the receipt slip's QR code. The desk's work happens in Python
// between the tours.

const PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function attach(selector, name, content, type) {
    return {
        content: `Attach ${name}`,
        trigger: selector,
        run() {
            const input = document.querySelector(selector);
            const transfer = new DataTransfer();
            transfer.items.add(new File([content], name, { type }));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

registry.category("web_tour.tours").add("cchc_portal_citizen_files", {
    steps: () => [
        {
            content: "Search the catalogue without diacritics",
            trigger: "input#o_cchc_q",
            run: "edit ly lich tu phap",
        },
        {
            content: "Search",
            trigger: "form[role='search'] button[type='submit']",
            run: "click",
        },
        {
            content: "Open the procedure",
            trigger: "a[href='/dvc/thu-tuc/P.000001']",
            run: "click",
        },
        {
            content: "The procedure's page says its time limit",
            trigger: "dt:contains('Thời hạn giải quyết')",
        },
        {
            content: "File it online",
            trigger: "a[href='/dvc/nop/P.000001']",
            run: "click",
        },
        {
            content: "Identity number",
            trigger: "input[name='applicant_id_number']",
            run: "edit 079200001111",
        },
        {
            content: "Phone",
            trigger: "input[name='applicant_phone']",
            run: "edit 0900000000",
        },
        attach(".o_cchc_slot:nth-of-type(1) input[type='file']", "to-khai.pdf", PDF, "application/pdf"),
        attach(".o_cchc_slot:nth-of-type(2) input[type='file']", "cccd.png", PNG, "image/png"),
        {
            content: "Submit the dossier",
            trigger: "button[name='action'][value='submit']",
            run: "click",
        },
        {
            content: "Submitted: waiting at the desk",
            trigger: ".alert-success:contains('Hồ sơ đã được nộp')",
        },
    ],
});

registry.category("web_tour.tours").add("cchc_portal_citizen_supplements", {
    steps: () => [
        {
            content: "Open the dossier in my dossiers",
            trigger: "a:contains('Cấp Phiếu lý lịch tư pháp cho công dân')",
            run: "click",
        },
        {
            content: "The request says what is missing",
            trigger: ".alert-warning:contains('Bổ sung bản sao giấy khai sinh')",
        },
        attach("input#o_cchc_supplement_files", "khai-sinh.pdf", PDF, "application/pdf"),
        {
            content: "A note",
            trigger: "textarea#o_cchc_supplement_note",
            run: "edit Đã bổ sung bản sao giấy khai sinh",
        },
        {
            content: "Send the supplement",
            trigger: "form[action$='/bo-sung'] button[type='submit']",
            run: "click",
        },
        {
            content: "The supplement is received: the history says so",
            trigger: ".o_cchc_timeline:contains('Đã nhận hồ sơ bổ sung')",
        },
    ],
});

registry.category("web_tour.tours").add("cchc_portal_citizen_rates", {
    steps: () => [
        {
            content: "Open the dossier in my dossiers",
            trigger: "a:contains('Cấp Phiếu lý lịch tư pháp cho công dân')",
            run: "click",
        },
        {
            content: "Rate the service",
            trigger: "a:contains('Đánh giá sự phục vụ')",
            run: "click",
        },
        ...["score_access", "score_procedure", "score_officer", "score_result", "score_feedback"].map(
            (factor) => ({
                content: `Score ${factor}`,
                trigger: `label[for='o_cchc_${factor}_5']`,
                run: "click",
            })
        ),
        {
            content: "Comment",
            trigger: "textarea#o_cchc_comment",
            run: "edit Nộp trực tuyến rất nhanh",
        },
        {
            content: "Send",
            trigger: ".o_cchc_rate_form button[type='submit']",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: ".alert-success:contains('Xin cảm ơn')",
        },
    ],
});

registry.category("web_tour.tours").add("cchc_portal_track_by_qr", {
    steps: () => [
        {
            content: "The dossier's state",
            trigger: ".o_cchc_state:contains('Đã trả kết quả')",
        },
        {
            content: "Its history, supplement included",
            trigger: ".o_cchc_timeline:contains('Đã nhận hồ sơ bổ sung')",
        },
    ],
});
