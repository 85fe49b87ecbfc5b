import Foundation
import Testing
import VOCTestSupport
@testable import VOCFastJSON
@testable import VOCSchema

/// The single pass from a submission's bytes to its event's is held to the decoding path:
/// whatever it accepts, that path accepts too and encodes to the same bytes (which are
/// JSONEncoder's), and the common shapes do take it.
@Suite("Single-pass transcoding agrees with decoding, validating and encoding")
struct TranscoderTests {
    static let receivedAt = Date(timeIntervalSince1970: 1_796_000_000.412)
    static let limits = InteractionSubmission.Limits()

    /// What the decoding path makes of `bytes`: its event and the event's JSON.
    func slowPath(_ bytes: [UInt8], id: String) -> (InteractionReceived, [UInt8])? {
        guard let submission = try? InteractionSubmission.scanOrDecode(from: bytes), submission.audio == nil,
              let event = try? submission.validated(interactionId: id, gatewayId: "gw-1", receivedAt: Self.receivedAt) else { return nil }
        return (event, event.jsonBytes)
    }

    /// Checks one document against the decoding path; `true` when it took the single pass.
    @discardableResult
    func check(_ transcoder: inout InteractionTranscoder, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let id = UUIDText.random()
        let fast = bytes.withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { id }) }
        let slow = slowPath(bytes, id: id)
        guard let fast else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let (event, json) = slow else {
            Issue.record("the single pass accepted what decoding refuses: \(text)", sourceLocation: sourceLocation)
            return true
        }
        #expect(transcoder.eventJSON == json, "\(text)\n\(String(decoding: transcoder.eventJSON, as: UTF8.self))\n\(String(decoding: json, as: UTF8.self))",
                sourceLocation: sourceLocation)
        #expect(json == Array(try! JSONCoding.encoder().encode(event)), "\(text)", sourceLocation: sourceLocation)
        let texts = transcoder.withOutput { output in
            [fast.interactionIdText, fast.customerIdText, fast.occurredAtText].map { String(decoding: output[$0], as: UTF8.self) }
        }
        #expect(texts == [event.interactionId, event.customerId, Timestamp.format(event.occurredAt)], sourceLocation: sourceLocation)
        #expect(fast.interactionId == event.interactionId && fast.json == 0..<json.count, sourceLocation: sourceLocation)
        #expect(fast.channel == event.channel && fast.occurredAt == event.occurredAt, sourceLocation: sourceLocation)
        return true
    }

    static let common: [String] = [
        #"{"customerId":"C0000001","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}"#,
        #"{"customerId":"c-b2","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00Z","utterances":[{"speaker":"agent","text":"您好"}]}"#,
        #" { "text" : "a\nb\t\"q\" \\ \/ \u00e9\u5e74 \ud83d\ude00 \u0000" , "customerId":"c\u00e9","channel":"email","businessLine":"x-1_2","occurredAt":"2026-11-20T10:15:00.5-03:30" } "#,
        #"{"customerId":"c","channel":"hotline_call","businessLine":"b","occurredAt":"2026-01-01T00:00:00.123Z","externalId":"CALL-2026-0001","agentId":"a/1","metadata":{"queue":"vip","a":"1","B":"","a10":"x","a9":"\"q\""},"text":"x"}"#,
        #"{"customerId":"c","channel":"video","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"endMs":5,"startMs":0,"text":" 嗯 ","speaker":"customer"},{"text":"x","speaker":null,"startMs":null,"endMs":-3},{"text":"y","endMs":7},{"startMs":-0,"text":"z"}],"metadata":{},"language":"zh-Hans-CN","agentId":null}"#,
        #"{"customerId":"外部客户","channel":"app_feedback","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"\u2028\u2029 \u0085 é","externalId":"外部-身份"}"#,
    ]

    static let refused: [String] = [
        #"{"customerId":"c","channel":"fax","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":" ","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c\u0085","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c\u007f","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"Credit Card","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2099-01-01T00:00:00Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"1999-12-31T23:59:59Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"yesterday","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":" \u3000\n"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","utterances":[{"text":"y"}]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"speaker":"bot","text":"y"}]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"speaker":"agent"}]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"text":"y","startMs":-1}]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"text":"y","startMs":9,"endMs":8}]}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","language":"zh_CN"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","metadata":{"":"v"}}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","externalId":"\t"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","audio":{"mediaType":"audio/wav"}}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"lone \ud83d"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"} trailing"#,
        #"{"customerId":7,"channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x"}"#,
    ]

    /// Valid, but of shapes the single pass leaves to Foundation's decoder.
    static let unusual: [String] = [
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","metadata":{"k":"v","k":"w"}}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","extra":1}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00.123456Z","text":"x"}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","metadata":{"é":"v"}}"#,
        #"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[{"text":"x","startMs":1.0}]}"#,
    ]

    @Test("common submissions take the single pass and come out as the decoding path writes them")
    func common() {
        var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Self.receivedAt)
        for document in Self.common {
            #expect(check(&transcoder, Array(document.utf8)), "\(document)")
        }
    }

    @Test("whatever the decoding path refuses, the single pass leaves to it; one transcoder serves every line")
    func refused() {
        var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Self.receivedAt)
        for document in Self.refused {
            let bytes = Array(document.utf8)
            #expect(slowPath(bytes, id: "x") == nil, "\(document)")
            #expect(!check(&transcoder, bytes), "\(document)")
            // State left by a refused line must not leak into the next.
            #expect(check(&transcoder, Array(Self.common[3].utf8)))
        }
        for document in Self.unusual {
            let bytes = Array(document.utf8)
            #expect(slowPath(bytes, id: "x") != nil, "\(document)")
            #expect(!check(&transcoder, bytes), "\(document)")
        }
        for document in FastCodecTests.documents {
            check(&transcoder, Array(document.utf8))
            #expect(check(&transcoder, Array(Self.common[4].utf8)))
        }
    }

    @Test("long values, which need characters counted, are left to the decoding path and agree when taken")
    func lengths() {
        var limits = InteractionSubmission.Limits()
        limits.maxTextCharacters = 10
        var transcoder = InteractionTranscoder(gatewayId: nil, receivedAt: Self.receivedAt, limits: limits)
        func document(text: String, customer: String = "c") -> [UInt8] {
            Array(#"{"customerId":"\#(customer)","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"\#(text)"}"#.utf8)
        }
        let id = "id"
        let fast = document(text: "0123456789").withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { id }) }
        #expect(fast != nil)
        #expect(document(text: "年年年年").withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { id }) } == nil)
        #expect(document(text: "x", customer: String(repeating: "é", count: 100)).withUnsafeBufferPointer {
            transcoder.transcode($0, interactionId: { id }) } == nil)
    }

    @Test("random submissions, written with random escapes and spacing, agree with the decoding path")
    func randomSubmissions() {
        var generator = SeededGenerator(seed: 2026_11_24)
        var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Self.receivedAt)
        var taken = 0, valid = 0
        for _ in 0..<3_000 {
            let bytes = Array(RandomSubmission.make(&generator).utf8)
            if check(&transcoder, bytes) { taken += 1 }
            if slowPath(bytes, id: "x") != nil { valid += 1 }
        }
        // The valid ones the single pass leaves have values it does not vouch for
        // (non-ASCII metadata keys, six-digit fractions); it must carry the rest.
        #expect(valid > 1_000 && Double(taken) > 0.8 * Double(valid), "\(taken) of \(valid)")
    }

    @Test("random corruptions of common submissions never come out differently from the decoding path")
    func mutations() {
        var generator = SeededGenerator(seed: 11)
        var transcoder = InteractionTranscoder(gatewayId: "gw-1", receivedAt: Self.receivedAt)
        let alphabet = Array(#"{}[]",:\ 0123456789-.eEnultrfu"abcZT+"#.utf8) + [0x00, 0x0A, 0x7F, 0xC2, 0x85, 0xC3, 0xA9, 0xE5, 0xED, 0xA0, 0xF4, 0x90]
        var taken = 0
        for _ in 0..<6_000 {
            let bytes = generator.corrupt(Array(Self.common.randomElement(using: &generator)!.utf8), from: alphabet)
            if check(&transcoder, bytes) { taken += 1 }
        }
        #expect(taken > 100)
    }

    @Test("the submissions that grow most when written (bare utterances, a long id) come out whole")
    func growth() {
        var transcoder = InteractionTranscoder(gatewayId: String(repeating: "\"g\u{1}", count: 40), receivedAt: Self.receivedAt)
        let turns = Array(repeating: #"{"text":"x"}"#, count: 2_000).joined(separator: ",")
        let bytes = Array(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","utterances":[\#(turns)]}"#.utf8)
        let id = String(repeating: "\u{1}\"", count: 100)
        let accepted = bytes.withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { id }) }
        #expect(accepted != nil)
        let event = (try? InteractionSubmission.scanOrDecode(from: bytes))
            .flatMap { try? $0.validated(interactionId: id, gatewayId: String(repeating: "\"g\u{1}", count: 40), receivedAt: Self.receivedAt) }
        #expect(transcoder.eventJSON == event?.jsonBytes)
        #expect(transcoder.eventJSON.count > 2 * bytes.count)
    }

    @Test("a submission with an externalId gets the id the decoding path derives")
    func externalID() {
        var transcoder = InteractionTranscoder(gatewayId: "gw-hotline", receivedAt: Self.receivedAt)
        let bytes = Array(#"{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","text":"x","externalId":"CALL-2026-0001"}"#.utf8)
        let accepted = bytes.withUnsafeBufferPointer { transcoder.transcode($0, interactionId: { Issue.record("no id needed"); return "" }) }
        #expect(accepted?.interactionId == "2569ed0a-d227-81f7-9c72-c75a4ec36a82")
    }
}

/// Submissions of the shapes gateways send, with values from awkward to ordinary and JSON
/// spelled in every way a gateway may spell it.
enum RandomSubmission {
    static let texts = FastCodecTests.awkward + ["您好，请问年费怎么退？", "ok", " padded ", "\u{3000}全角空格", "a\u{85}b", "\u{feff}bom"]
    static let identifiers = ["C0000001", "c-1", "客户-7", "a/1", "x y", "é", "e\u{301}", " ", "", "tab\t", "del\u{7f}", "c1\u{80}", "\u{9f}"]

    static func make(_ generator: inout SeededGenerator) -> String {
        func pick<T>(_ items: [T]) -> T { items.randomElement(using: &generator)! }
        func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }
        func space() -> String { chance(15) ? pick([" ", "\n", "\t ", "\r\n  "]) : "" }
        func string(_ value: String) -> String {
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += chance(50) ? "\\\"" : "\\u0022"
                case "\\": out += "\\\\"
                case "/": out += chance(50) ? "/" : "\\/"
                case "\n": out += chance(50) ? "\\n" : "\\u000a"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\u{8}": out += "\\b"
                case "\u{c}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        out += String(format: "\\u%04X", scalar.value)
                    } else if chance(5) {
                        for unit in String(scalar).utf16 { out += String(format: chance(50) ? "\\u%04x" : "\\u%04X", unit) }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        var members: [(String, String)] = []
        func add(_ name: String, _ value: String) { members.append((name, value)) }
        if chance(98) { add("customerId", chance(85) ? string(pick(["C\(Int.random(in: 0..<9_999_999, using: &generator))", "c-1", "客户-7"])) : string(pick(identifiers))) }
        if chance(98) { add("channel", string(chance(90) ? pick(Channel.known).rawValue : pick(["fax", "Chat", ""]))) }
        if chance(98) { add("businessLine", string(chance(90) ? pick(["credit_card", "wealth", "b-2"]) : pick(["Credit", "a b", "", String(repeating: "x", count: 65)]))) }
        if chance(98) {
            add("occurredAt", string(chance(90) ? pick(["2026-11-20T10:15:00+08:00", "2026-11-20T02:15:00Z", "2024-02-29T23:59:59.999-00:30", "2026-11-20T10:15:00.1Z"])
                                                 : pick(["2026-11-20T10:15:00.123456Z", "2099-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "2026-11-20", "x"])))
        }
        if chance(50) { add("language", chance(80) ? string(pick(["zh", "en", "zh-Hans", "yue-HK"])) : pick(["null", string("zh_CN"), string("z")])) }
        let turns = chance(35)
        if !turns || chance(5) { add("text", chance(90) ? string(pick(texts)) : pick(["null", string(" "), string("")])) }
        if turns {
            var list: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                var fields: [String] = []
                if chance(80) { fields.append("\"speaker\":" + (chance(90) ? string(pick(SpeakerRole.known).rawValue) : pick(["null", string("bot")]))) }
                if chance(95) { fields.append("\"text\":" + (chance(90) ? string(pick(texts)) : "null")) }
                if chance(50) { fields.append("\"startMs\":" + pick(["0", "1200", "-5", "-0", "null", "99999999999"])) }
                if chance(50) { fields.append("\"endMs\":" + pick(["0", "1250", "-25", "null", "7"])) }
                fields.shuffle(using: &generator)
                list.append("{" + fields.joined(separator: "," + space()) + "}")
            }
            add("utterances", "[" + space() + list.joined(separator: "," + space()) + "]")
        }
        if chance(25) { add("externalId", chance(85) ? string("EXT-\(Int.random(in: 0..<1000, using: &generator))") : pick(["null", string(pick(identifiers))])) }
        if chance(25) { add("agentId", chance(85) ? string(pick(["a-1", "坐席7", "a/1"])) : pick(["null", string(pick(identifiers))])) }
        if chance(30) {
            var entries: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                entries.append(string(pick(["queue", "a", "B", "a10", "a9", "_", "é", "k"])) + ":" + string(pick(texts)))
            }
            add("metadata", "{" + entries.joined(separator: ",") + "}")
        }
        members.shuffle(using: &generator)
        return space() + "{" + members.map { space() + "\"\($0.0)\"" + space() + ":" + space() + $0.1 + space() }.joined(separator: ",") + "}" + space()
    }
}
