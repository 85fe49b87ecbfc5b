import Foundation
import Testing
@testable import VOCSchema

/// The hand-written JSON paths of ingest are held to Foundation's: the same bytes out,
/// the same values in, and nothing accepted that Foundation refuses.
@Suite("Fast JSON paths agree with Foundation")
struct FastCodecTests {
    /// Every ASCII control character, JSON's special characters, and multi-byte scripts.
    static let awkward: [String] = [
        "plain", "", "引号\"反斜杠\\斜杠/", "tab\tnew\nline\r\u{8}\u{c}", "\u{0}\u{1}\u{1f}\u{7f}\u{85}",
        "\u{2028}\u{2029}", "emoji 👩‍👩‍👧 and é (e\u{301})", "</script>", "年费扣了两次？请尽快退回。",
    ] + (0..<32).map { "c\(Character(Unicode.Scalar(UInt8($0))))c" }

    static let time = Date(timeIntervalSince1970: 1_795_000_000.412)

    func foundationBytes(_ event: InteractionReceived) throws -> [UInt8] {
        Array(try JSONCoding.encoder().encode(event))
    }

    @Test("InteractionReceived is written byte for byte as JSONEncoder writes it")
    func receivedBytes() throws {
        var events: [InteractionReceived] = []
        for text in Self.awkward {
            events.append(InteractionReceived(
                interactionId: "id-\(text)", customerId: text, channel: .chat, businessLine: "credit_card",
                occurredAt: Self.time, receivedAt: Self.time.addingTimeInterval(0.0005), language: "zh", text: text,
                gatewayId: "gw", externalId: text, agentId: "a/1"))
            events.append(InteractionReceived(
                interactionId: "u", customerId: "c", channel: .advisorCall, businessLine: "wealth",
                occurredAt: Self.time, receivedAt: Self.time,
                utterances: [Utterance(speaker: .agent, text: text, startMs: 0, endMs: 1_250),
                             Utterance(speaker: .customer, text: text), Utterance(speaker: .unknown, text: "", startMs: -1)],
                metadata: ["queue": text, "b": "2", "a": "1", "A": "0", "a10": "x", "a9": "y", "é": "e", "_": "-"]))
        }
        events.append(InteractionReceived(
            interactionId: "r", customerId: "c", channel: .hotlineCall, businessLine: "credit_card",
            occurredAt: Date(timeIntervalSince1970: 946_684_800), receivedAt: Self.time,
            audio: AudioReference(uri: "s3://bucket/audio/2026/11/24/r.wav", sizeBytes: 8_000_044, mediaType: "audio/wav",
                                  sha256: String(repeating: "ab", count: 32), durationMs: 250_000, layout: .stereoAgentLeft)))
        events.append(InteractionReceived(
            interactionId: "r2", customerId: "c", channel: .video, businessLine: "x", occurredAt: Self.time, receivedAt: Self.time,
            audio: AudioReference(uri: "file:///x", sizeBytes: 0, mediaType: "video/mp4", sha256: "")))
        for event in events {
            let fast = event.jsonBytes
            let expected = try foundationBytes(event)
            #expect(fast == expected, "\(String(decoding: fast, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))")
        }
    }

    @Test("random texts are escaped as JSONEncoder escapes them")
    func randomTexts() throws {
        let pool: [Unicode.Scalar] = (0..<128).compactMap(Unicode.Scalar.init) + ["é", "年", "\u{2028}", "😀", "\u{feff}", "\u{85}"]
        var generator = SeededGenerator(seed: 20_261_124)
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<40, using: &generator) { text.append(pool.randomElement(using: &generator)!) }
            let event = InteractionReceived(interactionId: "i", customerId: "c", channel: .email, businessLine: "b",
                                            occurredAt: Self.time, receivedAt: Self.time, text: String(text))
            #expect(event.jsonBytes == (try foundationBytes(event)))
        }
    }

    func foundationDecode(_ bytes: [UInt8]) -> InteractionSubmission? {
        try? JSONCoding.decode(InteractionSubmission.self, from: bytes)
    }

    func scan(_ bytes: [UInt8]) -> InteractionSubmission? {
        bytes.withUnsafeBufferPointer(InteractionSubmission.scan)
    }

    static let documents: [String] = [
        #"{"customerId":"C0000001","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？"}"#,
        #"  { "customerId" : "c" , "channel":"email" ,"text":"a\nb\t\"q\" \\ \/ \u00e9\u5e74 \ud83d\ude00 \u0000" , "metadata" : { "queue" : "vip", "k" : "" } }  "#,
        #"{"customerId":"c","channel":"advisor_call","utterances":[{"speaker":"agent","text":"您好","startMs":0,"endMs":1200},{"text":"嗯","speaker":"customer"},{}],"agentId":null,"language":null}"#,
        #"{"utterances":[],"metadata":{}}"#,
        #"{}"#,
        #"{"customerId":"c","customerId":"d"}"#,
        #"{"customerId":7}"#,
        #"{"customerId":"c","extra":{"nested":[1,2,3]}}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","startMs":1.5}]}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","startMs":1e3}]}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","startMs":012}]}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","startMs":-0}]}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","endMs":-25}]}"#,
        #"{"utterances":[{"speaker":"agent","text":"x","endMs":123456789012345678901}]}"#,
        #"{"utterances":[{"speaker":"agent","speaker":"customer"}]}"#,
        #"{"utterances":[{"speaker":"agent","who":"x"}]}"#,
        #"{"utterances":{"speaker":"agent"}}"#,
        #"{"metadata":{"k":null}}"#,
        #"{"metadata":{"k":1}}"#,
        #"{"metadata":{"k":"a","k":"b"}}"#,
        #"{"metadata":{"k\u0041":"a"}}"#,
        #"{"text":"lone \ud83d surrogate"}"#,
        #"{"text":"low \ude00 first"}"#,
        #"{"text":"bad \x escape"}"#,
        "{\"text\":\"raw\ttab\"}",
        #"{"text":"unterminated}"#,
        #"{"text":"x"} trailing"#,
        #"{"text":"x"}{"text":"y"}"#,
        #"{"text":"x",}"#,
        #"{"text" "x"}"#,
        #"[{"text":"x"}]"#,
        #"7"#, #""text""#, #"null"#, "", " ",
        #"{"audio":{"mediaType":"audio/wav"},"customerId":"c"}"#,
        #"{"text":true}"#, #"{"text":nul}"#, #"{"text":nullx}"#,
    ]

    @Test("every document scans to what Foundation decodes, or is left to Foundation")
    func documentsAgree() {
        for document in Self.documents {
            let bytes = Array(document.utf8)
            let fast = scan(bytes)
            if let fast {
                #expect(fast == foundationDecode(bytes), "\(document)")
            }
        }
        // The common shapes must take the fast path, or it is worth nothing.
        for document in Self.documents.prefix(5) {
            #expect(scan(Array(document.utf8)) != nil, "\(document)")
        }
    }

    @Test("invalid UTF-8 inside a string is left to Foundation")
    func invalidUTF8() {
        var bytes = Array(#"{"text":"ab"}"#.utf8)
        bytes.insert(0xC3, at: 10)
        #expect(scan(bytes) == nil)
        bytes[10] = 0xFF
        #expect(scan(bytes) == nil)
    }

    @Test("random corruptions of valid documents never scan to something Foundation would not decode the same way")
    func mutations() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array(#"{}[]",:\ 0123456789-.eEnultrfu"abc"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xE5]
        var scanned = 0
        for _ in 0..<4_000 {
            let bytes = generator.corrupt(Array(Self.documents.prefix(4).randomElement(using: &generator)!.utf8), from: alphabet)
            guard let fast = scan(bytes) else { continue }
            scanned += 1
            #expect(fast == foundationDecode(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(scanned > 100)
    }

    @Test("the RFC 3339 fast path reads what Foundation reads, and refuses what it cannot vouch for")
    func timestamps() throws {
        var generator = SeededGenerator(seed: 3)
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<2_000 {
            let year = Int.random(in: 1970...2100, using: &generator), month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator), hour = Int.random(in: 0...23, using: &generator)
            let minute = Int.random(in: 0...59, using: &generator), second = Int.random(in: 0...59, using: &generator)
            let fractionDigits = Int.random(in: 0...6, using: &generator)
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
            if fractionDigits > 0 {
                text += "." + String((0..<fractionDigits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            }
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: text += "Z"
            case 1: text += String(format: "+%02d:%02d", Int.random(in: 0...14, using: &generator), [0, 30, 45].randomElement(using: &generator)!)
            default: text += String(format: "-%02d:00", Int.random(in: 0...12, using: &generator))
            }
            guard fractionDigits <= 3 else {
                #expect(Timestamp.parseCommonForm(text) == nil, "\(text)")
                continue
            }
            let fast = try #require(Timestamp.parseCommonForm(text), "\(text)")
            let foundation = fractionDigits > 0 ? try style.parse(text) : try Date.ISO8601FormatStyle().parse(text)
            #expect(abs(fast.timeIntervalSince(foundation)) < 0.000_001, "\(text)")
            #expect(Timestamp.format(fast) == Timestamp.format(foundation), "\(text)")
        }
        for text in ["2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z",
                     "2026-11-24T10:00:60Z", "2026-11-24 10:00:00Z", "2026-11-24t10:00:00z", "2026-11-24T10:00:00",
                     "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00.1234567890Z", "2026-11-24T10:00:00+0800", "1969-12-31T23:59:59Z",
                     "２０２６-11-24T10:00:00Z"] {
            #expect(Timestamp.parseCommonForm(text) == nil, "\(text)")
        }
        let leapDay = try #require(Timestamp.parseCommonForm("2024-02-29T23:59:59.999-00:30"))
        #expect(abs(leapDay.timeIntervalSince1970 - 1_709_252_999.999) < 0.000_001)
        #expect(Timestamp.format(leapDay) == "2024-03-01T00:29:59.999Z")
        #expect(Timestamp.parse("2026-11-24T10:00:00.5+08:00") == Date(timeIntervalSince1970: 1_795_485_600.5))
    }

    @Test("stable ids are unchanged (vectors from an independent implementation)")
    func stableIDVectors() {
        #expect(StableID.make("interaction", "gw-hotline", "CALL-2026-0001") == "2569ed0a-d227-81f7-9c72-c75a4ec36a82")
        #expect(StableID.make("insight", "t-1", "finance-2026.11.1", "analyzer-1") == "f0d5b323-3a9a-8b32-82c7-4b2bdeafc7f3")
        #expect(StableID.make("x") == "d80d24ae-a7dc-8494-81af-56072a04e4e5")
        #expect(StableID.make("interaction", "网关", "外部-身份") == "55dfe207-5097-8c1a-a399-db89c956cdd7")
    }

    @Test("random ids are version-4 UUIDs in lowercase, and distinct")
    func randomIDs() {
        let ids = (0..<10_000).map { _ in UUIDText.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString.lowercased() == id)
            #expect(Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
        }
        let trace = TraceContext.newTraceparent()
        #expect(trace.utf8.count == 55 && trace.hasPrefix("00-") && trace.hasSuffix("-01"))
        let child = TraceContext.child(of: trace)
        #expect(child.prefix(36) == trace.prefix(36) && child != trace)
    }
}

/// A reproducible generator (SplitMix64), so a failing case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// `document` with one to three bytes removed, inserted or replaced (from `alphabet`).
    mutating func corrupt(_ document: [UInt8], from alphabet: [UInt8]) -> [UInt8] {
        var bytes = document
        for _ in 0..<Int.random(in: 1...3, using: &self) {
            let position = Int.random(in: 0..<bytes.count, using: &self)
            switch Int.random(in: 0..<3, using: &self) {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(alphabet.randomElement(using: &self)!, at: position)
            default: bytes[position] = alphabet.randomElement(using: &self)!
            }
            if bytes.isEmpty { break }
        }
        return bytes
    }
}
