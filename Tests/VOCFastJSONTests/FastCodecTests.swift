import Foundation
import Testing
import VOCTestSupport
@testable import VOCFastJSON
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
        // Values a later producer may send are written back as they came.
        events.append(InteractionReceived(
            interactionId: "f", customerId: "c", channel: .unknown("whats\"app"), businessLine: "x", occurredAt: Self.time,
            receivedAt: Self.time, utterances: [Utterance(speaker: .unrecognized("bot/1"), text: "hi")]))
        events.append(InteractionReceived(
            interactionId: "f2", customerId: "c", channel: .unknown(""), businessLine: "x", occurredAt: Self.time, receivedAt: Self.time,
            audio: AudioReference(uri: "file:///y", sizeBytes: 1, mediaType: "audio/ogg", sha256: "", layout: .unknown("quad\n"))))
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
}
