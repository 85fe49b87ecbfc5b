@testable import Analyze
import Foundation
import Testing
import VOCSchema

@Suite("Analyzer")
struct AnalyzerTests {
    static let card = Fixture.luhnCard("622202123456789012")
    static let id = Fixture.idCard("11010119850312123")

    var input: AnalysisInput {
        Fixture.input(id: "src-1", channel: "hotline_call", [
            (.customer, "卡号\(Self.card)的年费扣了两次，这是第三次打电话了，再不处理我就向监管投诉！身份证\(Self.id)，手机138 1234 5678"),
            (.agent, "非常抱歉，我马上帮您处理。"),
        ])
    }

    @Test("the insight id depends on the source and the rule-pack version only: re-analysing gives the same id")
    func deterministicId() {
        let analyzer = try! Fixture.analyzer()
        let first = analyzer.analyzeAndLearn(input)
        let second = analyzer.analyzeAndLearn(input)
        #expect(first.insightId == second.insightId)
        #expect(first.insightId == Analyzer.insightId(sourceId: "src-1", rulePackVersion: first.rulePackVersion))
        #expect(Analyzer.insightId(sourceId: "src-1", rulePackVersion: "other") != first.insightId)
        #expect(first.transcriptId == "src-1")
    }

    @Test("no clear PII anywhere in the insight: text redacted, values masked, nothing in keywords or clusters")
    func redacted() throws {
        let insight = try Fixture.analyzer().analyze(input).insight
        let json = String(decoding: try JSONCoding.encoder().encode(insight), as: UTF8.self)
        for secret in [Self.card, Self.id, "138 1234 5678", "12345678"] {
            #expect(!json.contains(secret), "\(secret) leaked")
        }
        #expect(insight.utterances[0].text.contains("[bank_card]") && insight.utterances[0].text.contains("[身份证]")
                && insight.utterances[0].text.contains("[mobile]"))
        #expect(Set(insight.pii.map(\.type)) == ["bank_card", "id_card", "mobile"])
        try insight.validate()
    }

    @Test("complaint risk and effort rise with threats, repeats, transfers and waiting; a neutral question has neither")
    func signals() {
        let angry = Fixture.customer("第三次打电话了，转来转去等了一个小时，再不处理我就向监管投诉，还要找媒体曝光！")
        #expect(angry.complaintRisk > 0.8)
        #expect(angry.effort > 0.5)
        #expect(Set(angry.complaintSignals ?? []).isSuperset(of: ["regulator_threat", "media_threat", "repeat_contact"]))
        #expect(Set(angry.effortSignals ?? []).isSuperset(of: ["transfer", "waiting"]))
        let calm = Fixture.customer("请问周末营业吗？")
        #expect(calm.complaintRisk == 0 && calm.effort == 0)
        let en = Fixture.customer("This is the third time I call, I was transferred twice and I will report you to the regulator.")
        #expect(en.complaintRisk > 0.6 && en.effort > 0.3)
    }

    @Test("complaints get a cluster of their business line and month; praise does not")
    func clusters() throws {
        let analyzer = try Fixture.analyzer()
        let a = analyzer.analyzeAndLearn(Fixture.input(id: "a", [(.customer, "年费扣了两次，太离谱了，我要投诉")]))
        let b = analyzer.analyzeAndLearn(Fixture.input(id: "b", [(.customer, "年费又重复扣了，太过分了，投诉")]))
        #expect(a.cluster != nil && a.cluster?.id == b.cluster?.id)
        #expect(b.cluster?.size == 2)
        #expect(a.cluster?.id.hasPrefix("credit_card-2026-11-") == true)
        #expect(b.cluster?.label.contains("年费") == true)
        #expect(analyzer.analyzeAndLearn(Fixture.input(id: "c", [(.customer, "客服小王非常耐心，点赞！")])).cluster == nil)
    }

    @Test("the offline line carries id and sourceId next to the event fields")
    func offlineLine() throws {
        let insight = try Fixture.analyzer().analyze(input).insight
        let object = try JSONSerialization.jsonObject(with: JSONCoding.encoder().encode(OfflineInsight(insight))) as! [String: Any]
        #expect(object["id"] as? String == insight.insightId)
        #expect(object["sourceId"] as? String == "src-1")
        #expect(object["categories"] != nil && object["pii"] != nil && object["utterances"] != nil)
    }

    @Test("input lines: the documented shape, a transcript event, and text instead of utterances")
    func inputs() throws {
        let decoder = JSONCoding.decoder()
        let line = try decoder.decode(AnalysisInput.self, from: Data(#"{"id":"x","channel":"advisor_call","utterances":[{"speaker":"agent","text":"hi"}]}"#.utf8))
        #expect(line.id == "x" && line.channel == "advisor_call" && line.utterances.first?.speaker == .agent)
        let text = try decoder.decode(AnalysisInput.self, from: Data(#"{"interactionId":"i","channel":"chat","text":"hello"}"#.utf8))
        #expect(text.id == "i" && text.utterances.count == 1 && text.utterances[0].speaker == .customer)
        #expect(throws: (any Error).self) { try decoder.decode(AnalysisInput.self, from: Data(#"{"channel":"chat","text":"x"}"#.utf8)) }
    }
}

@Suite("Insight JSON")
struct InsightJSONTests {
    @Test("the hand-written offline line decodes to the same insight JSONEncoder writes, escapes included")
    func sameDocument() throws {
        let analyzer = try Fixture.analyzer()
        var input = Fixture.input(id: "json-\"1\"", channel: "advisor_call", [
            (.agent, "这款产品保本，\"稳赚\"\\不赔\n"), (.customer, "我有高血压，手机13812345678，年费扣了两次，太离谱了，投诉！"),
        ])
        input.utterances[0].startMs = 0
        input.utterances[0].endMs = 1200
        let insight = analyzer.analyzeAndLearn(input)
        #expect(!insight.compliance.isEmpty && !insight.pii.isEmpty && !insight.profileFacts.isEmpty && insight.cluster != nil)
        let fast = Data(InsightJSON.offlineLine(insight))
        let object = try JSONSerialization.jsonObject(with: fast) as? [String: Any]
        #expect(object?["id"] as? String == insight.insightId && object?["sourceId"] as? String == "json-\"1\"")
        let decoded = try JSONCoding.decoder().decode(InsightProduced.self, from: fast)
        let encoder = JSONCoding.encoder()
        #expect(try encoder.encode(decoded) == encoder.encode(insight))
    }
}
