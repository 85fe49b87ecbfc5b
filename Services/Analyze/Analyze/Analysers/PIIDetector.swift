import Foundation

/// Finds personal data in one utterance and redacts it.
///
/// Numbers are read as digit runs that may contain single spaces or dashes ("138 1234
/// 5678", "6222-0212-3456-7890"); a run is PII only when it passes the checks of its
/// type, so an order number or an amount is left alone:
/// - `id_card`: 17 digits and a check character (digit or X), MOD 11-2, a real birth
///   date between 1900 and today, a province code 11–82;
/// - `bank_card`: 16–19 digits, Luhn;
/// - `mobile`: 11 digits `1[3-9]…`, optionally after `+86`/`86`;
/// - `landline`: an area code `0xx`/`0xxx` and a 7–8 digit number, 10–12 digits in all;
/// - `email`: `local@domain.tld`.
/// Offsets are in Unicode code points of the utterance (as Python indexes strings),
/// `start` inclusive, `end` exclusive.
public struct PIIDetector: Sendable {
    public struct Finding: Sendable, Equatable {
        public var type: String
        /// The clear value; it never leaves analyze (see ``masked``).
        public var value: String
        public var start: Int
        public var end: Int

        /// The value with its middle hidden, e.g. `6222********1234`.
        public var masked: String { PIIDetector.mask(value, type: type) }
    }

    /// What replaces each type in the redacted text, from the rule pack.
    public var placeholders: [String: String]
    /// Latest plausible birth year of an id card (this year).
    public var latestYear: Int

    public init(placeholders: [String: String] = PIIDetector.defaultPlaceholders, latestYear: Int = PIIDetector.currentYear()) {
        self.placeholders = placeholders
        self.latestYear = latestYear
    }

    public static let defaultPlaceholders = [
        "id_card": "[身份证]", "bank_card": "[bank_card]", "mobile": "[mobile]", "landline": "[landline]", "email": "[email]",
    ]

    /// Every finding in `text`, in order. Full-width digits and letters (１３８…, ＠) are
    /// read as their ASCII forms; the finding's value keeps what was written.
    /// - Parameter question: the turn before, when another speaker said it. If it asks for an
    ///   identifier by name (您的工单号是多少, "do you have the case number") and names no
    ///   phone, a number that opens this answer is that identifier, not a phone.
    public func find(in text: String, answering question: String? = nil) -> [Finding] {
        guard Self.mayHoldPII(text) else { return [] }
        // One pass over the text for both forms (Array(text.unicodeScalars) walks it twice: to count, then to copy).
        var original: [Unicode.Scalar] = []
        var scalars: [Unicode.Scalar] = []
        original.reserveCapacity(text.utf8.count)
        scalars.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            original.append(scalar)
            scalars.append(Self.halfWidth(scalar))
        }
        var findings = scan(scalars, answering: question)
        for index in findings.indices {
            findings[index].value = Self.string(original[findings[index].start..<findings[index].end])
        }
        return findings
    }

    /// U+FF01…U+FF5E to ASCII, the ideographic space to a space; one scalar for one, so offsets hold.
    static func halfWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if (0xFF01...0xFF5E).contains(scalar.value) { return Unicode.Scalar(scalar.value - 0xFEE0)! }
        return scalar == "\u{3000}" ? " " : scalar
    }

    private func scan(_ scalars: [Unicode.Scalar], answering question: String?) -> [Finding] {
        var findings = emails(scalars)
        // Read only when a number opens the answer.
        var asksForIdentifier: Bool?
        var index = 0
        while index < scalars.count {
            if scalars[index] == "(", let landline = parenthesizedLandline(scalars, from: index) {
                if !findings.contains(where: { $0.start < landline.end && landline.start < $0.end }) { findings.append(landline) }
                index = landline.end
                continue
            }
            guard Self.isDigit(scalars[index]) || (scalars[index] == "+" && index + 1 < scalars.count && Self.isDigit(scalars[index + 1])) else {
                index += 1
                continue
            }
            let run = digitRun(scalars, from: index)
            if !findings.contains(where: { $0.start < run.end && run.start < $0.end }) {
                var answersIdentifier = false
                if let question, Self.opensAnswer(scalars, at: run.start) {
                    if asksForIdentifier == nil { asksForIdentifier = Self.asksForIdentifier(question) }
                    answersIdentifier = asksForIdentifier!
                }
                findings += classify(run, scalars, labelled: answersIdentifier)
            }
            index = max(run.end, index + 1)
        }
        return findings.sorted { $0.start < $1.start }
    }

    /// `text` with every finding replaced by its placeholder.
    public func redact(_ text: String, _ findings: [Finding]) -> String {
        replace(text, findings, with: [redaction])[0]
    }

    /// `text` with every finding replaced by one space: what the other analysers read.
    public func blank(_ text: String, _ findings: [Finding]) -> String {
        replace(text, findings, with: [Self.blanking])[0]
    }

    /// Both of the above, the findings placed in the text once.
    public func redactAndBlank(_ text: String, _ findings: [Finding]) -> (redacted: String, blanked: String) {
        let both = replace(text, findings, with: [redaction, Self.blanking])
        return (both[0], both[1])
    }

    private func redaction(_ finding: Finding) -> String { placeholders[finding.type] ?? "[\(finding.type)]" }

    private static func blanking(_ finding: Finding) -> String { " " }

    /// One copy of `text` per way of replacing the findings. Works on UTF-8 bytes: offsets
    /// are code points, so a byte starts one unless it is a continuation byte.
    private func replace(_ text: String, _ findings: [Finding], with ways: [(Finding) -> String]) -> [String] {
        guard !findings.isEmpty else { return ways.map { _ in text } }
        var kept: [Finding] = []
        var offset = 0
        for finding in findings.sorted(by: { $0.start < $1.start }) where finding.start >= offset && finding.end > finding.start {
            kept.append(finding)
            offset = finding.end
        }
        var wanted: [Int] = []
        wanted.reserveCapacity(2 * kept.count)
        for finding in kept {
            wanted.append(finding.start)
            wanted.append(finding.end)
        }
        var copy = text
        return copy.withUTF8 { bytes in
            // Byte offset of each kept start and end, in one pass over the bytes.
            var bounds: [Int] = []
            bounds.reserveCapacity(wanted.count)
            var scalar = 0
            for index in bytes.indices where bytes[index] & 0xC0 != 0x80 {
                while bounds.count < wanted.count, wanted[bounds.count] == scalar { bounds.append(index) }
                if bounds.count == wanted.count { break }
                scalar += 1
            }
            while bounds.count < wanted.count { bounds.append(bytes.count) }
            return ways.map { placeholder in
                var out: [UInt8] = []
                out.reserveCapacity(bytes.count + 16 * kept.count)
                var position = 0
                for (number, finding) in kept.enumerated() {
                    out.append(contentsOf: bytes[position..<bounds[2 * number]])
                    out += placeholder(finding).utf8
                    position = bounds[2 * number + 1]
                }
                out.append(contentsOf: bytes[position...])
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// Whether `text` has a digit or an `@` (ASCII or full-width): without one there is nothing to find.
    static func mayHoldPII(_ text: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if (48...57).contains(byte) || byte == 64 { return true }
            // U+FF10…U+FF19 (０…９) and U+FF20 (＠) are EF BC 90…99 and EF BC A0.
            if beforePrevious == 0xEF, previous == 0xBC, (0x90...0xA0).contains(byte) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    // MARK: - Numbers

    /// Digits (and a trailing X of an id card) joined by single spaces or dashes;
    /// `groups` are the stretches between separators, as (start, end) offsets.
    struct Run {
        var start: Int
        var end: Int
        var groups: [(start: Int, end: Int)]
    }

    private func digitRun(_ s: [Unicode.Scalar], from first: Int) -> Run {
        var groups: [(start: Int, end: Int)] = []
        var index = first
        var groupStart = first
        if s[index] == "+" { index += 1 }
        while index < s.count {
            let c = s[index]
            if Self.isDigit(c) {
                index += 1
            } else if (c == "X" || c == "x"), index > groupStart, index + 1 >= s.count || !Self.isWordish(s[index + 1]) {
                index += 1
                break
            } else if Self.isSeparator(c), index + 1 < s.count, Self.isDigit(s[index + 1]), index > groupStart {
                groups.append((groupStart, index))
                index += 1
                groupStart = index
            } else {
                break
            }
        }
        groups.append((groupStart, index))
        return Run(start: first, end: index, groups: groups)
    }

    /// `(010) 6234 5678`, `（0755）8600-1234`: an area code in parentheses (0 + 2–3 digits),
    /// at most one separator, then a 7–8 digit number that may be grouped; 10–12 digits in all.
    private func parenthesizedLandline(_ s: [Unicode.Scalar], from open: Int) -> Finding? {
        if open > 0, Self.isWordish(s[open - 1]) { return nil }
        var index = open + 1
        while index < s.count, Self.isDigit(s[index]) { index += 1 }
        let area = index - open - 1
        guard (3...4).contains(area), s[open + 1] == "0", s[open + 2] != "0", index < s.count, s[index] == ")" else { return nil }
        index += 1
        if index < s.count, Self.isSeparator(s[index]) { index += 1 }
        guard index < s.count, Self.isDigit(s[index]) else { return nil }
        let run = digitRun(s, from: index)
        if run.end < s.count, Self.isWordish(s[run.end]) { return nil }
        let number = s[run.start..<run.end].filter { !Self.isSeparator($0) }
        guard number.allSatisfy(Self.isDigit), (7...8).contains(number.count), (10...12).contains(area + number.count) else { return nil }
        return Finding(type: "landline", value: Self.string(s[open..<run.end]), start: open, end: run.end)
    }

    /// Tries the whole run, then the longest stretches of its groups from left to right.
    private func classify(_ run: Run, _ s: [Unicode.Scalar], labelled answer: Bool) -> [Finding] {
        // A run glued to letters or digits on either side is part of a code, not a number of its own.
        if run.start > 0, Self.isWordish(s[run.start - 1]) { return [] }
        if run.end < s.count, Self.isWordish(s[run.end]) { return [] }
        if Self.writtenAsCard(run), numberType(s[run.start..<run.end].filter { !Self.isSeparator($0) }, grouped: true) == nil {
            return []
        }
        let labelled = answer || Self.introducedAsIdentifier(s, before: run.start)
        var found: [Finding] = []
        var first = 0
        while first < run.groups.count {
            var matched = false
            for last in stride(from: run.groups.count - 1, through: first, by: -1) {
                let start = run.groups[first].start, end = run.groups[last].end
                let chars = s[start..<end].filter { !Self.isSeparator($0) }
                if let type = numberType(chars, grouped: last > first),
                   !(labelled && start == run.start && (type == "mobile" || type == "landline")) {
                    found.append(Finding(type: type, value: Self.string(s[start..<end]), start: start, end: end))
                    first = last + 1
                    matched = true
                    break
                }
            }
            if !matched { first += 1 }
        }
        return found
    }

    /// Four or more groups, all of four digits but the last (one to four), 16–19 digits: how
    /// a card number is written. One that fails its check is a mistyped card or a reference
    /// number, and a stretch of it is no phone of its own.
    static func writtenAsCard(_ run: Run) -> Bool {
        let lengths = run.groups.map { $0.end - $0.start }
        guard lengths.count >= 4, (16...19).contains(lengths.reduce(0, +)) else { return false }
        return lengths.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(lengths.last!)
    }

    func numberType(_ chars: [Unicode.Scalar], grouped: Bool) -> String? {
        var digits = chars.map { $0 == "x" ? "X" : $0 }
        if digits.first == "+" { digits.removeFirst() }
        let count = digits.count
        if count == 18, Self.validIDCard(digits, latestYear: latestYear) { return "id_card" }
        guard digits.allSatisfy(Self.isDigit) else { return nil }
        if (16...19).contains(count), Self.luhn(digits) { return "bank_card" }
        let values = digits.map { Int($0.value) - 48 }
        if count == 11, values[0] == 1, values[1] >= 3 { return "mobile" }
        if count == 13, values[0] == 8, values[1] == 6, values[2] == 1, values[3] >= 3 { return "mobile" }
        if (10...12).contains(count), values[0] == 0, values[1] != 0 { return "landline" }
        return nil
    }

    /// GB 11643-1999: province, birth date, MOD 11-2 check character.
    /// The calendar year now in China (UTC+8), where id cards are issued.
    public static func currentYear(now: Date = Date()) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar.component(.year, from: now)
    }

    static func validIDCard(_ c: [Unicode.Scalar], latestYear: Int) -> Bool {
        guard c.count == 18, c[..<17].allSatisfy(isDigit), isDigit(c[17]) || c[17] == "X" else { return false }
        let d = c.map { Int($0.value) - 48 }
        let province = d[0] * 10 + d[1]
        guard (11...82).contains(province) else { return false }
        let year = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9]
        let month = d[10] * 10 + d[11]
        let day = d[12] * 10 + d[13]
        guard (1900...latestYear).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(d[..<17], weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check: [Unicode.Scalar] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
        return check[sum % 11] == c[17]
    }

    /// The Luhn check digit that completes `body` (digits only), for making test data.
    public static func luhnDigit(_ body: String) -> Character {
        let sum = luhnSum(Array(body.unicodeScalars) + ["0"])
        return Character(String((10 - sum % 10) % 10))
    }

    static func luhn(_ digits: [Unicode.Scalar]) -> Bool {
        luhnSum(digits) % 10 == 0
    }

    private static func luhnSum(_ digits: [Unicode.Scalar]) -> Int {
        var sum = 0
        for (position, scalar) in digits.reversed().enumerated() {
            var value = Int(scalar.value) - 48
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum
    }

    // MARK: - E-mail

    private func emails(_ s: [Unicode.Scalar]) -> [Finding] {
        var found: [Finding] = []
        for (at, scalar) in s.enumerated() where scalar == "@" {
            var start = at
            while start > 0, Self.isLocalPart(s[start - 1]) { start -= 1 }
            var end = at + 1
            while end < s.count, Self.isDomainPart(s[end]) { end += 1 }
            while end > at + 1, s[end - 1] == "." || s[end - 1] == "-" { end -= 1 }
            // `a@b.cc@d.com`: the second address would reuse the first one's domain as its
            // local part; findings must not overlap, or redaction would leave part in clear.
            guard start < at, start >= (found.last?.end ?? 0), let dot = s[(at + 1)..<end].lastIndex(of: "."), dot > at + 1,
                  end - dot - 1 >= 2, s[(dot + 1)..<end].allSatisfy(Self.isASCIILetter) else { continue }
            found.append(Finding(type: "email", value: Self.string(s[start..<end]), start: start, end: end))
        }
        return found
    }

    // MARK: - Characters

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == " " || c == "-" || c == "\u{00A0}" }
    static func isWordish(_ c: Unicode.Scalar) -> Bool { isASCIILetter(c) || isDigit(c) }
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (65...90).contains(c.value) || (97...122).contains(c.value) }
    /// Letters of any script but Han (josé, müller, иван), digits and `._%+-`. Han stays out:
    /// Chinese text runs straight into an address (我的邮箱是zhang@…), and a local part in
    /// Han could not be told from the words before it.
    static func isLocalPart(_ c: Unicode.Scalar) -> Bool {
        if isASCIILetter(c) || isDigit(c) || c == "." || c == "_" || c == "%" || c == "+" || c == "-" { return true }
        return !c.isASCII && !ChineseSegmenter.isCJK(c) && c.properties.isAlphabetic && !(0x3000...0x30FF).contains(c.value)
    }
    static func isDomainPart(_ c: Unicode.Scalar) -> Bool {
        isASCIILetter(c) || isDigit(c) || c == "." || c == "-"
    }

    static func mask(_ value: String, type: String) -> String {
        if type == "email" {
            let chars = Array(value.unicodeScalars)
            guard let at = chars.firstIndex(of: "@"), at > 0 else { return "***" }
            return string(chars[0..<1]) + "***" + string(chars[at...])
        }
        var digits: [Unicode.Scalar] = []
        digits.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars where !isSeparator(scalar) {
            switch scalar {
            case "(", ")", "（", "）": continue
            default: digits.append(scalar)
            }
        }
        let keepHead = type == "mobile" ? 3 : 4
        let keepTail = type == "landline" ? 2 : 4
        guard digits.count > keepHead + keepTail else { return String(repeating: "*", count: digits.count) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count * 3)
        for scalar in digits[..<keepHead] { UTF8.encode(scalar) { bytes.append($0) } }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "*"), count: digits.count - keepHead - keepTail))
        for scalar in digits[(digits.count - keepTail)...] { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Scalars to a string through their UTF-8 bytes (`String.UnicodeScalarView` appends one by one, far slower).
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }
}
