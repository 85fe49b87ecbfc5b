import Foundation
import Logging
import Route
import Testing
import VOCSchema

/// An insight as analyze would send it, with what the test needs to vary.
func makeInsight(id: String, customer: String = "C-1", channel: Channel = .hotlineCall, categories: [String] = [],
                 sentiment: String = "negative", risk: Double = 0.2, signals: [String]? = nil, compliance: [String] = [],
                 occurredAt: Date = Date(timeIntervalSince1970: 1_763_348_400), text: String = "年费扣了两次",
                 facts: [InsightProduced.ProfileFact] = []) -> InsightProduced {
    InsightProduced(
        insightId: id, transcriptId: "t-\(id)", interactionId: "i-\(id)", customerId: customer, channel: channel,
        businessLine: "credit_card", occurredAt: occurredAt, language: "zh", rulePackVersion: "test",
        utterances: [.init(speaker: .customer, text: text, sentiment: .init(label: sentiment, score: -0.5)),
                     .init(speaker: .agent, text: "好的，我来处理。", sentiment: .init(label: "neutral", score: 0))],
        pii: [], keywords: [], sentiment: .init(label: sentiment, score: sentiment == "negative" ? -0.6 : 0.6),
        categories: categories.map { .init(id: $0, score: 0.9) },
        compliance: compliance.map { .init(rule: $0, utteranceIndex: nil, evidence: "not said") },
        profileFacts: facts, suitability: [], complaintRisk: risk, effort: 0.1, producedAt: occurredAt,
        complaintSignals: signals)
}

@Suite("Routing rules")
struct RoutingRulesTests {
    static let book = try! RoutingBook.load(try! RoutingBook.Files.bundled())

    @Test("the finance pack: advisor-call compliance finding → compliance team")
    func complianceFinding() {
        let decision = Self.book.rules.decide(makeInsight(id: "a", channel: .advisorCall, categories: ["product_inquiry"],
                                                          sentiment: "neutral", compliance: ["risk_disclosure_missing"]))
        #expect(decision?.department == "compliance")
        #expect(decision?.category == "compliance_finding")
        #expect(decision?.priority == "high")
        #expect(decision?.slaPolicy == "compliance")
        // The same finding on a hotline call is not an advisor's sales breach.
        let hotline = Self.book.rules.decide(makeInsight(id: "b", channel: .hotlineCall, categories: ["product_inquiry"],
                                                         sentiment: "neutral", compliance: ["risk_disclosure_missing"]))
        #expect(hotline?.department != "compliance")
    }

    @Test("the finance pack: a regulator threat is urgent and runs the regulatory clock")
    func regulatorThreat() {
        let decision = Self.book.rules.decide(makeInsight(id: "a", categories: ["fees_interest"], risk: 0.9, signals: ["regulator_threat"]))
        #expect(decision?.priority == "urgent")
        #expect(decision?.department == "consumer_protection")
        #expect(decision?.category == "fees_interest")
        #expect(decision?.regulatoryClock == true)
    }

    @Test("the finance pack: praise opens nothing; a fee complaint goes to card operations; a calm inquiry opens nothing")
    func praiseAndComplaints() {
        #expect(Self.book.rules.decide(makeInsight(id: "a", categories: ["praise"], sentiment: "positive")) == nil)
        let fees = Self.book.rules.decide(makeInsight(id: "b", categories: ["fees_interest"]))
        #expect(fees?.department == "card_operations" && fees?.priority == "normal" && fees?.ruleId == "card-and-fees")
        #expect(Self.book.rules.decide(makeInsight(id: "c", categories: ["product_inquiry"], sentiment: "neutral")) == nil)
    }

    @Test("priorities climb one step and stop at the top")
    func raise() {
        #expect(Self.book.rules.raised("normal") == "high")
        #expect(Self.book.rules.raised("urgent") == "urgent")
        #expect(Self.book.rules.higher("low", "high") == "high")
    }

    @Test("a bad edit keeps the rules in force and says why; a good one replaces them")
    func hotReload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("route-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundled = try RoutingBook.Files.bundled()
        let files = RoutingBook.Files(rules: folder.appendingPathComponent("rules.json"),
                                      directory: folder.appendingPathComponent("directory.json"),
                                      holidays: folder.appendingPathComponent("holidays.json"))
        for (from, to) in [(bundled.rules, files.rules), (bundled.directory, files.directory), (bundled.holidays, files.holidays)] {
            try FileManager.default.copyItem(at: from, to: to)
        }
        let store = try RoutingBookStore(files: files, checkInterval: .zero, logger: Logger(label: "test"))
        let original = store.current().rules.version
        let text = try String(contentsOf: files.rules, encoding: .utf8)

        try Data((text + "}").utf8).write(to: files.rules)
        #expect(store.current().rules.version == original)
        #expect(store.lastError?.contains("does not load") == true)

        try Data(text.replacingOccurrences(of: "\"department\": \"compliance\", \"priority\": \"high\"",
                                           with: "\"department\": \"nobody\", \"priority\": \"high\"").utf8).write(to: files.rules)
        #expect(store.current().rules.version == original)
        #expect(store.lastError?.contains("\"nobody\" is not in the department directory") == true)

        try Data(text.replacingOccurrences(of: original, with: "edited-2").utf8).write(to: files.rules)
        #expect(store.current().rules.version == "edited-2")
        #expect(store.lastError == nil)
    }
}
