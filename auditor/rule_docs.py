"""The rules' documentation in Vietnamese, one entry per rule code: `auditor rule CODE` and
`auditor rules` print it by default (`--lang en` prints the English the rule classes carry).

The English text stays on each Rule class (auditor/checks/*.py: `what`, `why`, `options`);
the Vietnamese lives here, in one catalogue, so the check modules are not touched to
translate them. tests/test_rule_docs.py checks that every registered rule has an entry with
`what`, `why` and one line per option the rule takes. The examples are report fragments,
already Vietnamese, and are printed as the rule gives them.
"""
from __future__ import annotations

VI: dict[str, dict] = {
    "AUD101": {
        "what": ("Một số liệu ở phần thuyết minh khác với ô của phụ lục phản ánh cùng chỉ tiêu. Khi bộ chấm "
                 "ghép cặp (auditor/pairing.py) chưa chắc hai số cùng chỉ một nội dung, phát hiện chỉ là lưu ý "
                 "cần kiểm tra, không phải lỗi."),
        "why": "Cấp huyện tổng hợp số liệu từ phụ lục, lãnh đạo đọc phần thuyết minh. Hai nơi ghi khác "
               "nhau thì một trong hai số sai, và người kiểm tra cần xác định số nào.",
        "options": {"min_difference": "bỏ qua chênh lệch có giá trị tuyệt đối không quá mức này (mặc định 0)"},
    },
    "AUD102": {
        "what": "Hai bảng ghi cùng một chỉ tiêu với hai giá trị khác nhau (ví dụ bảng kết quả giải quyết "
                "hồ sơ và phụ lục).",
        "why": "Số liệu các bảng được cấp trên tổng hợp bằng máy; một chỗ chênh lệch sẽ lan sang mọi "
               "bảng tổng hợp.",
        "options": {},
    },
    "AUD103": {
        "what": ("Phần thuyết minh nêu cùng một chỉ tiêu hai lần với hai giá trị khác nhau. Hai câu mà từ điển "
                 "khái niệm gán cùng một chỉ tiêu thường đo hai nội dung khác nhau (một lĩnh vực, một cơ quan "
                 "khác, một kỳ khác): bộ chấm ghép cặp cho biết mức chắc chắn, dưới ngưỡng thì phát hiện chỉ là "
                 "lưu ý cần kiểm tra."),
        "why": "Báo cáo tự mâu thuẫn thì không thể trích dẫn; một trong hai câu ghi sai.",
        "options": {},
    },
    "AUD201": {
        "what": "Các đẳng thức giữa các chỉ tiêu (rules/identities.yaml): số hồ sơ tiếp nhận = tiếp nhận "
                "trực tuyến + tiếp nhận trực tiếp + kỳ trước chuyển sang; tiếp nhận = đã giải quyết + đang "
                "giải quyết; đã giải quyết = trước hạn + đúng hạn + quá hạn; đang giải quyết = trong hạn + "
                "quá hạn; số TTHC cung cấp trực tuyến = toàn trình + một phần. Kiểm tra trong từng dòng "
                "bảng, từng bảng chỉ tiêu và từng đoạn thuyết minh; thử các cách đọc khác nhau trước khi "
                "kết luận số liệu không khớp.",
        "why": "Mỗi hồ sơ đã tiếp nhận thì hoặc đã giải quyết, hoặc đang giải quyết; chênh lệch nghĩa là "
               "có hồ sơ bị bỏ sót hoặc tính trùng.",
        "options": {},
    },
    "AUD202": {
        "what": "Trong bảng kết quả giải quyết hồ sơ, dòng tổng (Tổng số, Tổng cộng, Tổng hợp) phải bằng "
                "tổng các dòng số liệu, theo từng cột; trong một nhóm cột, cột «Tổng số» phải bằng tổng "
                "các cột còn lại của nhóm (cộng theo hàng ngang).",
        "why": "Dòng tổng không bằng tổng các dòng cho thấy có dòng bị bỏ sót hoặc nhập sai.",
        "options": {},
    },
    "AUD203": {
        "what": "Tỷ lệ phần trăm được tính lại từ tử số và mẫu số, so sánh theo khoảng làm tròn (99,8% "
                "nghĩa là từ 99,75% đến dưới 99,85%). Nguồn: dòng «Tỷ lệ» của bảng chỉ tiêu và các dòng "
                "con ghi số lượng (thử các cách chọn tử số, mẫu số); cột tỷ lệ của bảng kết quả; câu "
                "«a/b … đạt p%» ở phần thuyết minh. Ghi 100% hoặc 0% khi số liệu không đúng là toàn bộ "
                "hoặc không có là cảnh báo; ghi tỷ lệ cho trường hợp 0/0 là lưu ý.",
        "why": "Tỷ lệ là con số người đọc nhớ nhất; tỷ lệ không khớp với số liệu sẽ gây hiểu sai.",
        "options": {
            "extra_tolerance": "số điểm phần trăm cho phép ngoài khoảng làm tròn (mặc định 0)",
            "all_or_nothing": "cảnh báo khi ghi 100% hoặc 0% mà tỷ lệ tính được không đúng như vậy "
                              "(mặc định true)",
        },
    },
    "AUD204": {
        "what": "«ban hành N văn bản, cụ thể: a báo cáo, b công văn, …» và «N TTHC trên K lĩnh vực, cụ "
                "thể: …»: các số được liệt kê (cùng loại đơn vị với số tổng) phải cộng lại bằng N, và K "
                "phải bằng số mục được liệt kê. Danh sách sau «trong đó» không nhất thiết đầy đủ: khi đó "
                "chỉ báo khi một thành phần lớn hơn số tổng.",
        "why": "Các danh sách liệt kê được gõ tay; một mục bị sót hoặc gõ sai chỉ lộ ra khi cộng lại.",
        "options": {},
    },
    "AUD205": {
        "what": "Thành phần không thể lớn hơn tổng: số cán bộ có mặt ≤ số được giao, số hồ sơ trực tuyến "
                "≤ số hồ sơ tiếp nhận, số TTHC có phát sinh hồ sơ ≤ số TTHC đang cung cấp "
                "(rules/identities.yaml, mục `bounds`); trong bảng chỉ tiêu, dòng con ghi số lượng ≤ dòng "
                "«Tổng số» ngay trên nó.",
        "why": "Chỉ tiêu thành phần lớn hơn chỉ tiêu tổng là không thể xảy ra, thường do gõ sai một "
               "trong hai số.",
        "options": {},
    },
    "AUD301": {
        "what": "Phân số đếm a/b (12/21 nhiệm vụ, 337/338 hồ sơ) có tử số lớn hơn mẫu số. Quy tắc đề "
                "xuất cách sửa một lỗi gõ phím (thừa một chữ số lặp, hai chữ số đảo chỗ) để phân số hợp "
                "lý và, khi câu có nêu tỷ lệ, để tỷ lệ khớp: «88/8 đồng chí … đạt 100%» → 8/8.",
        "why": "Số người đạt chuẩn nhiều hơn số người hiện có, số nhiệm vụ hoàn thành nhiều hơn số được "
               "giao: con số không thể đúng.",
        "options": {},
    },
    "AUD401": {
        "what": "Số văn bản («Số: /BC-UBND») hoặc ngày ban hành («ngày   tháng 5 năm 2024») còn để trống.",
        "why": "Báo cáo không có số hoặc ngày thì không thể viện dẫn, lưu trữ; thường là đã gửi nhầm bản "
               "dự thảo.",
        "options": {},
    },
    "AUD402": {
        "what": "Ô số liệu vẫn còn công thức hoặc ký hiệu giữ chỗ của biểu mẫu thay cho số liệu (=B5/B4, "
                "x, …, [số liệu]).",
        "why": "Cấp huyện tổng hợp bằng số; chữ của biểu mẫu còn ở ô số liệu nghĩa là thiếu số liệu.",
        "options": {},
    },
    "AUD403": {
        "what": "Số thứ tự các mục trong cùng một đề mục bị nhảy (3 → 5) hoặc bị lặp (b, b).",
        "why": "Số thứ tự bị nhảy thường do một mục đã bị xóa hoặc gộp, kéo theo số liệu của mục đó.",
        "options": {},
    },
    "AUD404": {
        "what": "Ngày không thể có (31/02/2024, 12/13/2024, năm trước 1945 hoặc sau thời điểm báo cáo) và "
                "khoảng thời gian «từ … đến …» có ngày kết thúc trước ngày bắt đầu.",
        "why": "Ngày sai làm báo cáo hoặc văn bản được dẫn chiếu bị xếp nhầm hồ sơ.",
        "options": {},
    },
    "AUD405": {
        "what": "Phụ lục ghi kèm theo một báo cáo có số hoặc ngày khác với số, ngày ở phần đầu văn bản "
                "(«Kèm theo Báo cáo số …»).",
        "why": "Phụ lục sao chép từ báo cáo của kỳ khác mang theo số liệu của kỳ đó.",
        "options": {},
    },
    "AUD406": {
        "what": "Ngày ban hành ở phần đầu văn bản sớm hơn ngày kết thúc kỳ báo cáo nêu trong tên báo cáo "
                "(báo cáo 6 tháng đề ngày 15 tháng 6). Thường gặp khi cấp huyện yêu cầu nộp sớm, nên chỉ "
                "là lưu ý: khi đó số liệu tính đến một ngày chốt mà báo cáo cần ghi rõ.",
        "why": "Số liệu «6 tháng» nhưng chốt sớm hai tuần thì không so sánh được với các xã khác.",
        "options": {},
    },
    "AUD407": {
        "what": "Trong bảng chỉ tiêu, cột đơn vị tính không phù hợp với nội dung chỉ tiêu (chỉ tiêu đếm "
                "phản ánh, kiến nghị nhưng đơn vị tính ghi «Hồ sơ»), dòng có đơn vị «%» ghi giá trị lớn "
                "hơn 100, hoặc dòng «Số …» ghi đơn vị «%».",
        "why": "Đơn vị tính sai cho thấy dòng đó được điền theo một dòng khác của biểu mẫu; giá trị của "
               "dòng cũng cần kiểm tra lại.",
        "options": {},
    },
    "AUD408": {
        "what": "Đề mục có đánh số mà ngay sau đó là một đề mục khác cùng cấp hoặc cấp cao hơn: mục đó "
                "không có nội dung.",
        "why": "Mục trống thường là phần của biểu mẫu mà xã chưa điền.",
        "options": {},
    },
    "AUD409": {
        "what": "Chỉ tiêu có/không (đơn vị tính «Có = 1; Không = 0») mâu thuẫn với thuyết minh: ghi 0 trong "
                "khi thuyết minh nêu đã thực hiện (đã tổ chức hội nghị đối thoại), hoặc ghi 1 trong khi "
                "thuyết minh nêu không thực hiện. Các hoạt động và cách diễn đạt được liệt kê trong "
                "rules/booleans.yaml.",
        "why": "Các chỉ tiêu có/không được tính điểm khi xếp hạng cải cách hành chính của huyện; ghi 0 "
               "sai làm xã bị mất điểm, ghi 1 sai là báo cáo không đúng thực tế.",
        "options": {},
    },
    "AUD410": {
        "what": "Trong phụ lục .xlsx, ô công thức (ô tổng =SUM(C5:C12), ô tỷ lệ =D5/C5*100) hiển thị giá "
                "trị Excel đã lưu cùng công thức. Giá trị đã lưu khác với kết quả tính theo công thức từ "
                "các ô được tham chiếu nghĩa là có số bị gõ đè lên ô tổng, hoặc tệp đã được sửa bằng một "
                "chương trình không tính lại công thức.",
        "why": "Người kiểm tra nhìn thấy giá trị đã lưu, còn công thức cho biết xã định tính thế nào. Hai "
               "giá trị khác nhau thì một trong hai sai, và bảng không còn cộng đúng như công thức thể "
               "hiện.",
        "options": {},
    },
}

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"}
STATUS_VI = {"stable": "ổn định", "preview": "thử nghiệm"}


def doc(rule, lang: str = "vi") -> str:
    """One rule's documentation: the rule's own English for `en`, the catalogue's Vietnamese
    otherwise (the English, under Vietnamese titles, for a rule not in the catalogue yet)."""
    if lang == "en":
        return rule.doc()
    entry = VI.get(rule.code, {})
    what = entry.get("what") or rule.what.strip()
    why = entry.get("why") or rule.why.strip()
    options = {k: entry.get("options", {}).get(k) or v for k, v in rule.options.items()}
    opts = "".join(f"\n- `{k}`: {v}" for k, v in options.items()) or "\n(không có)"
    where = f" (trong [rules.{rule.code}] của tệp cấu hình)" if options else ""
    return (
        f"{rule.code} {rule.name} ({SEVERITY_VI.get(rule.severity.value, rule.severity.value)}, "
        f"{STATUS_VI.get(rule.status, rule.status)})\n\n"
        f"## Nội dung kiểm tra\n{what}\n\n## Lý do\n{why}\n\n"
        f"## Ví dụ có lỗi\n{rule.example_fail.strip()}\n\n## Ví dụ không có lỗi\n{rule.example_pass.strip()}\n\n"
        f"## Tùy chọn{where}{opts}\n"
    )


def summary_line(rule, lang: str = "vi") -> str:
    """One line of `auditor rules`."""
    if lang == "en":
        return (f"{rule.code}  {rule.severity.value:<8} {rule.status:<7} {rule.name:<40} "
                f"{rule.what.splitlines()[0][:70]}")
    from auditor.render.locate import shorten

    what = VI.get(rule.code, {}).get("what") or rule.what
    return (f"{rule.code}  {SEVERITY_VI.get(rule.severity.value, rule.severity.value):<8} "
            f"{STATUS_VI.get(rule.status, rule.status):<10} {rule.name:<40} {shorten(what, 70)}")
