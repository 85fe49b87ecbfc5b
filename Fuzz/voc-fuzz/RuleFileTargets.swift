import Foundation
@testable import Analyze
@testable import Route
import VOCSchema

/// Analyze's rule file as an operator edits it: decoded as `CompiledRules.load` does,
/// compiled, and, when it compiles, run on a short advisor call and a complaint through
/// every analyser that reads rules. A file that loads must never trap the stage.
///
/// Input: the rule file's JSON.
enum RulePackTarget {
    static let calls: [(channel: String, utterances: [(speaker: SpeakerRole, text: String)])] = [
        ("advisor_call", [
            (.agent, "您好，我是理财经理王芳，工号A123。这款产品保本保收益，没有任何风险。"),
            (.customer, "好的，我明白了，我确认购买。我有高血压，不喝酒。"),
            (.agent, "Investment involves risk; returns are not guaranteed."),
        ]),
        ("hotline_call", [
            (.customer, "我的卡被盗刷了，打了三次电话都没人接，年费还照扣，再不处理我就投诉到银保监会！"),
            (.customer, "Please cancel my card and refund the annual fee, this is the third time I call."),
        ]),
    ]

    static let target = FuzzTarget(
        name: "rule-pack",
        summary: "analyze's rule file: decoding, compiling (regexes, phrases) and matching with the result"
    ) { raw in
        let pack: RulePack
        do { pack = try JSONDecoder().decode(RulePack.self, from: Data(raw)) } catch { return }
        let rules: CompiledRules
        do { rules = try CompiledRules(pack) } catch { return }
        for call in calls {
            let document = rules.document(call.utterances, channel: call.channel)
            _ = Categorizer().categorize(document, rules: rules)
            _ = ComplianceChecker().check(document, channel: call.channel, rules: rules)
            let facts = ProfileFactExtractor().extract(document, rules: rules)
            _ = ProfileFactExtractor().suitability(facts, rules: rules)
            _ = SignalScorer().complaintRisk(document, sentiment: -0.8, rules: rules)
            _ = SignalScorer().effort(document, rules: rules)
        }
        let detector = PIIDetector(placeholders: pack.redaction, latestYear: 2026)
        let text = "卡号6222021234567890128，手机138 1234 5678"
        _ = detector.redact(text, detector.find(in: text))
    }
}

/// Route's three operator files: routing rules, department directory and holiday
/// calendar, decoded and checked together as `RoutingBook.load` does; a book that loads
/// then routes a complaint, plans its SLA on every department's clock and words the
/// closed-loop request, as the stage would.
///
/// Input: one byte choosing the file the rest replaces (0 rules, 1 directory, 2
/// holidays); the other two are the bundled ones.
enum RoutingBookTarget {
    static let bundled: (rules: Data, directory: Data, holidays: Data) = {
        let files = try! RoutingBook.Files.bundled()
        return (try! Data(contentsOf: files.rules), try! Data(contentsOf: files.directory), try! Data(contentsOf: files.holidays))
    }()

    static let insight: InsightProduced = {
        let json = #"""
        {"insightId":"i-1","transcriptId":"t-1","interactionId":"x-1","customerId":"C100023","channel":"hotline_call",
         "businessLine":"credit_card","occurredAt":"2026-11-20T02:15:00.000Z","language":"zh","rulePackVersion":"finance",
         "utterances":[{"speaker":"customer","text":"年费扣了两次，再不处理我就投诉到监管。","sentiment":{"label":"negative","score":-0.8}}],
         "pii":[],"keywords":[],"sentiment":{"label":"negative","score":-0.82},
         "categories":[{"id":"fees_interest","score":0.91},{"id":"service_quality","score":0.44}],
         "compliance":[{"rule":"risk_disclosure_missing","evidence":"x"}],"profileFacts":[],"suitability":[],
         "complaintRisk":0.87,"effort":0.7,"producedAt":"2026-11-20T02:17:12.000Z",
         "complaintSignals":["regulator_threat","repeat_contact"]}
        """#
        return try! JSONCoding.decode(InsightProduced.self, from: Array(json.utf8))
    }()

    static let target = FuzzTarget(
        name: "routing-book",
        summary: "route's routing rules, department directory and holiday file: loading, checking and SLA planning"
    ) { raw in
        let input = FuzzInput(raw)
        let data = Data(input.rest)
        var files = bundled
        switch input.selector % 3 {
        case 0: files.rules = data
        case 1: files.directory = data
        default: files.holidays = data
        }
        let book: RoutingBook
        do {
            book = try RoutingBook(
                rules: JSONDecoder().decode(RoutingRules.self, from: files.rules),
                directory: JSONDecoder().decode(DepartmentDirectory.self, from: files.directory),
                holidays: HolidayCalendar(file: JSONDecoder().decode(HolidayCalendar.File.self, from: files.holidays)))
        } catch {
            return
        }
        exercise(book)
    }

    /// What the stage computes from a book it loaded.
    static func exercise(_ book: RoutingBook) {
        let decision = book.rules.decide(insight)
        _ = book.rules.confirmationWindow
        for priority in book.rules.priorities {
            _ = book.rules.raised(priority)
            _ = book.rules.higher(priority, book.rules.priorities[0])
        }
        // A few of each: a clock without working hours walks ten years of days per due time.
        for department in book.directory.departments.prefix(4) {
            for policy in (book.rules.slaPolicies.keys.sorted() + ["standard"]).prefix(3) {
                for priority in book.rules.priorities.prefix(4) {
                    var ticket = Ticket(
                        ticketId: "t", customerId: insight.customerId, businessLine: insight.businessLine,
                        category: decision?.category ?? "fees_interest", department: department.id, priority: priority,
                        status: .open, assigneeId: nil, ruleId: decision?.ruleId ?? "r", rulesVersion: book.rules.version,
                        slaPolicy: policy, openedAt: insight.occurredAt, firstResponseDueAt: nil, resolutionDueAt: nil,
                        regulatoryDueAt: nil, warnAt: nil, slaProvisional: false, firstRespondedAt: nil, resolvedAt: nil,
                        repeatCount: 0, escalationLevel: 0, warned: false, breached: false, resolutionCode: nil,
                        firstInsightId: insight.insightId, lastInsightId: insight.insightId,
                        lastInteractionId: insight.interactionId, version: 1)
                    SLAPlanner(book: book).plan(&ticket, pauses: [], regulatory: true)
                    if let clock = book.directory.clock(for: department.id, holidays: book.holidays),
                       let due = ticket.resolutionDueAt {
                        _ = clock.workingSeconds(from: insight.occurredAt, to: due)
                    }
                    _ = ClosedLoop.confirmationRequest(ticket, book: book)
                }
            }
        }
        _ = book.rules.openWindow
    }
}
