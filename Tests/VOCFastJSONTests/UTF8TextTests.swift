import Foundation
import Testing
import VOCTestSupport
@testable import VOCFastJSON
@testable import VOCSchema

/// The byte-level checks of the single pass answer as the `String` checks they replace.
@Suite("UTF-8 checks agree with String's")
struct UTF8TextTests {
    func with<R>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer(body)
    }

    @Test("validity is what String(validating:) accepts, on random bytes and on every edge of the encoding")
    func validity() {
        var generator = SeededGenerator(seed: 5)
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
                              0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<200_000 {
            let count = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0 ? UInt8.random(in: 0...255, using: &generator) : edges.randomElement(using: &generator)!
            }
            #expect(with(bytes, UTF8Text.isValid) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
        for text in FastCodecTests.awkward + ["年费", "😀😀😀😀", String(repeating: "a", count: 17) + "é"] {
            #expect(with(Array(text.utf8), UTF8Text.isValid))
        }
    }

    @Test("blank and control checks match the scalar properties FieldChecker reads")
    func scalarChecks() {
        let whitespace: [Unicode.Scalar] = ["\u{9}", "\u{a}", "\u{b}", "\u{c}", "\u{d}", " ", "\u{1c}", "\u{1f}", "\u{85}", "\u{a0}", "\u{1680}",
                                            "\u{2000}", "\u{200b}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{3000}", "\u{feff}"]
        let others: [Unicode.Scalar] = ["a", "\u{0}", "\u{7f}", "\u{80}", "\u{9f}", "\u{a1}", "é", "年", "😀", "\u{e000}", "\u{10ffff}"]
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                text.append(Int.random(in: 0..<3, using: &generator) == 0 ? others.randomElement(using: &generator)! : whitespace.randomElement(using: &generator)!)
            }
            let bytes = Array(String(text).utf8)
            #expect(with(bytes, UTF8Text.hasNonWhitespace) == text.contains { !$0.properties.isWhitespace })
            #expect(with(bytes, UTF8Text.hasControl) == text.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
        // Every scalar, one by one.
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var utf8: (UInt64, UInt64) = (0, 0)
            let agrees = withUnsafeMutableBytes(of: &utf8) { raw in
                var count = 0
                UTF8.encode(scalar) { raw[count] = $0; count += 1 }
                let bytes = UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
                return UTF8Text.hasNonWhitespace(bytes) == !scalar.properties.isWhitespace
                    && UTF8Text.hasControl(bytes) == (scalar.properties.generalCategory == .control)
            }
            if !agrees { Issue.record("U+\(String(value, radix: 16)) is judged differently") }
        }
    }

    @Test("language tags are read as before")
    func languageTags() {
        func reference(_ value: String) -> Bool {
            func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
            let parts = value.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(isLetter) else { return false }
            return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) } }
        }
        var generator = SeededGenerator(seed: 13)
        let alphabet = Array("aZz-09_é".unicodeScalars)
        for _ in 0..<20_000 {
            var tag = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) { tag.append(alphabet.randomElement(using: &generator)!) }
            #expect(with(Array(String(tag).utf8), UTF8Text.isLanguageTag) == reference(String(tag)), "\(String(tag))")
            #expect(InteractionSubmission.isLanguageTag(String(tag)) == reference(String(tag)), "\(String(tag))")
        }
        for tag in ["zh", "zh-Hans", "yue-HK", "en-US-x-12345678"] {
            #expect(with(Array(tag.utf8), UTF8Text.isLanguageTag) && InteractionSubmission.isLanguageTag(tag))
        }
        for tag in ["", "z", "zh-", "-zh", "zhon", "zh--CN", "en-123456789"] {
            #expect(!with(Array(tag.utf8), UTF8Text.isLanguageTag) && !InteractionSubmission.isLanguageTag(tag))
        }
    }

    @Test("times written into bytes are the formatted text, in range and out of it")
    func timestamps() {
        var generator = SeededGenerator(seed: 17)
        let dates = (0..<5_000).map { _ in Date(timeIntervalSince1970: Double.random(in: -70_000_000_000...260_000_000_000, using: &generator)) }
            + [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -62_167_219_200), Date(timeIntervalSince1970: 253_402_300_799.9996)]
        for date in dates {
            var bytes: [UInt8] = [1, 2]
            Timestamp.format(date, into: &bytes)
            #expect(bytes == [1, 2] + Array(Timestamp.format(date).utf8))
            var writer = JSONWriter()
            writer.date(date)
            #expect(writer.bytes == Array("\"\(Timestamp.format(date))\"".utf8))
        }
    }

    @Test("an id hashed from bytes is the id hashed from the String")
    func stableIDFromBytes() {
        for part in FastCodecTests.awkward + ["CALL-2026-0001", "外部-身份"] {
            let bytes = Array(part.utf8)
            #expect(bytes.withUnsafeBufferPointer { StableID.make("interaction", "gw", utf8: $0) } == StableID.make("interaction", "gw", part))
        }
    }
}
