extension PIIDetector {
    /// Names of numbers that identify something other than a person's phone: an employee, a
    /// licence, an order, a case. A number right after one (工号 13800138000, 执业证编号
    /// 020123456789, "reference 0755123456") is that identifier, not a phone, however its
    /// digits look; the same digits after 手机 or "call me on" are a phone.
    static let identifierLabels: [[Unicode.Scalar]] = [
        "工号", "员工号", "编号", "证号", "证书号", "单号", "流水号", "合同号", "编码", "案件号", "受理号", "参考号", "批次号",
        "序号", "会员号", "客户号", "交易号", "凭证号", "协议号", "代码", "账号",
        "employee", "staff", "licence", "license", "reference", "ref", "case", "order", "contract", "ticket", "transaction",
        "policy", "badge", "registration", "certificate", "cert", "invoice", "tracking", "confirmation", "application",
        "member", "membership", "account", "serial", "representative", "rep", "adviser", "advisor", "broker",
    ].map { Array($0.unicodeScalars) }
    /// What may stand between such a name and its number: 工号是, 编号：, "reference no.", "staff ID #".
    static let identifierFillers: [[Unicode.Scalar]] = ["is", "was", "no", "number", "num", "nr", "id", "code"].map { Array($0.unicodeScalars) }
    static let identifierPunctuation = Set(" :：#＃.,，是为\u{00A0}".unicodeScalars)

    static func introducedAsIdentifier(_ s: [Unicode.Scalar], before start: Int) -> Bool {
        var end = start
        scan: while end > 0 {
            if identifierPunctuation.contains(s[end - 1]) {
                end -= 1
                continue
            }
            for filler in identifierFillers where endsWithWord(s, end, filler) {
                end -= filler.count
                continue scan
            }
            break
        }
        return identifierLabels.contains { endsWithLabel(s, end, $0) }
    }

    /// Words that make a question one about a phone: its answer may well be a phone.
    static let phoneWords: [[Unicode.Scalar]] = [
        "手机", "电话", "座机", "联系方式", "phone", "mobile", "cell", "landline", "call", "contact", "reach",
    ].map { Array($0.unicodeScalars) }

    /// What makes a turn a question or a request to say something.
    static let questionCues: [[Unicode.Scalar]] = [
        "?", "？", "多少", "吗", "什么", "哪", "报一下", "提供", "告诉", "说一下", "念一下",
        "what", "which", "do you", "can you", "could you", "may i", "give me", "tell me", "read me",
    ].map { Array($0.unicodeScalars) }

    /// The turn asks for an identifier by name (工单号是多少, "do you have the case number")
    /// and names no phone.
    static func asksForIdentifier(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        return questionCues.contains { holds(s, $0) } && !phoneWords.contains { holds(s, $0) }
            && identifierLabels.contains { holds(s, $0) }
    }

    /// Only a few words come before `start`, with no digit and no phone word: "yeah 0571…",
    /// 嗯 是的 2024…, "sure it's …"; not "reach me on …" or 发到我手机….
    static func opensAnswer(_ s: [Unicode.Scalar], at start: Int) -> Bool {
        guard start <= 16, !s[..<start].contains(where: isDigit) else { return false }
        let before = Array(s[..<start])
        return !phoneWords.contains { holds(before, $0) }
    }

    /// `word` occurs in `s`; an English word only as a whole word, in any case.
    private static func holds(_ s: [Unicode.Scalar], _ word: [Unicode.Scalar]) -> Bool {
        guard s.count >= word.count else { return false }
        let english = isASCIILetter(word[0])
        return (word.count...s.count).contains { end in
            endsWithLabel(s, end, word) && (!english || end == s.count || !isASCIILetter(s[end]))
        }
    }

    /// `label` ends at `end`: an English word in any case and not glued to a letter before
    /// it, anything else exactly as written.
    private static func endsWithLabel(_ s: [Unicode.Scalar], _ end: Int, _ label: [Unicode.Scalar]) -> Bool {
        if isASCIILetter(label[0]) { return endsWithWord(s, end, label) }
        return end >= label.count && s[(end - label.count)..<end].elementsEqual(label)
    }

    /// `word` (lower-case ASCII) ends at `end`, in any case, not glued to a letter before it.
    private static func endsWithWord(_ s: [Unicode.Scalar], _ end: Int, _ word: [Unicode.Scalar]) -> Bool {
        guard end >= word.count else { return false }
        let start = end - word.count
        for (offset, c) in word.enumerated() {
            let v = s[start + offset].value
            if v != c.value && !(v >= 65 && v <= 90 && v + 32 == c.value) { return false }
        }
        return start == 0 || !isASCIILetter(s[start - 1])
    }
}
