import Foundation
import VOCSchema

/// The routing rules file: which insights open a ticket, for which department, at what
/// priority and on which SLA policy. Rules are tried in order; the first whose every
/// condition holds decides. No matching rule means no ticket.
public struct RoutingRules: Codable, Sendable {
    public var version: String
    /// Lowest to highest; a repeat contact raises a ticket one step.
    public var priorities: [String]
    /// Days after opening during which a new contact about the same category joins the ticket.
    public var openWindowDays: Int
    /// Days a resolved ticket waits for the customer's answer before it closes (default 7).
    public var closeAfterDays: Int?
    public var slaPolicies: [String: SLAPolicy]
    public var rules: [Rule]
    /// What an agent may resolve in the contact, without a ticket waiting for approval.
    public var firstContactAuthority: [Authority]?

    /// A grant of first-contact authority: these agents may settle these categories up
    /// to this amount in the contact.
    public struct Authority: Codable, Sendable {
        public var id: String
        /// Agent ids (`agentId` of the interaction); `"*"`: every agent.
        public var agents: [String]
        /// The categories it covers; absent: every category.
        public var categories: [String]?
        /// The most money, in yuan, the agent may settle; absent: no limit. A contact
        /// without an amount has no money at stake.
        public var maxAmount: Double?

        func covers(agent: String, category: String, amount: Double?) -> Bool {
            guard agents.contains("*") || agents.contains(agent) else { return false }
            if let categories, !categories.contains(category) { return false }
            if let maxAmount, let amount, amount > maxAmount { return false }
            return true
        }
    }

    /// First-response and resolution targets per priority, in working minutes.
    public struct SLAPolicy: Codable, Sendable {
        public var firstResponseMinutes: [String: Int]
        public var resolutionMinutes: [String: Int]
        /// Warn this share of the resolution target before it is due (0.8: at 80 %).
        public var warnAt: Double?
    }

    public struct Rule: Codable, Sendable {
        public var id: String
        public var when: Condition
        public var then: Action
    }

    /// Each present field must hold; a list holds when any of its values is present.
    public struct Condition: Codable, Sendable {
        public var categories: [String]?
        public var businessLines: [String]?
        public var channels: [String]?
        /// `negative`, `neutral`, `positive`.
        public var sentiments: [String]?
        public var minComplaintRisk: Double?
        /// Cues behind the complaint risk, e.g. `regulator_threat`.
        public var complaintSignals: [String]?
        /// Compliance rules found; `"*"` is any finding.
        public var compliance: [String]?
        /// The customer's tier, as the channel gave it; a contact without one does not match.
        public var customerTiers: [String]?
        /// Money at stake of at least this many yuan; a contact without an amount does not match.
        public var minAmount: Double?
        /// Money at stake below this many yuan; a contact without an amount matches.
        public var maxAmount: Double?
    }

    public struct Action: Codable, Sendable {
        /// Opens nothing (praise, plain inquiries).
        public var noTicket: Bool?
        public var department: String?
        public var priority: String?
        public var slaPolicy: String?
        /// The ticket's category; absent: the insight's strongest category.
        public var category: String?
        /// A consumer complaint: the regulatory decision clock runs.
        public var regulatoryClock: Bool?
    }

    /// What the rules decided for one insight.
    public struct Decision: Sendable, Equatable {
        public var ruleId: String
        public var department: String
        public var priority: String
        public var slaPolicy: String
        public var category: String
        public var regulatoryClock: Bool
    }

    /// Checks the rules against themselves and the directory.
    /// - Throws: ``RouteError`` naming the rule and field at fault.
    public func validate(departments: Set<String>) throws(RouteError) {
        if version.isEmpty { throw RouteError(.rules, "version: must not be empty") }
        if priorities.isEmpty { throw RouteError(.rules, "priorities: must list at least one priority") }
        // Windows and targets beyond ten years are typos, and the times they turn into overflow.
        if !(1...Self.maxDays).contains(openWindowDays) {
            throw RouteError(.rules, "openWindowDays: must be 1 to \(Self.maxDays) days (got \(openWindowDays))")
        }
        if let days = closeAfterDays, days > Self.maxDays {
            throw RouteError(.rules, "closeAfterDays: must be at most \(Self.maxDays) days (got \(days))")
        }
        for (name, policy) in slaPolicies.sorted(by: { $0.key < $1.key }) {
            for priority in priorities where policy.resolutionMinutes[priority] == nil || policy.firstResponseMinutes[priority] == nil {
                throw RouteError(.rules, "slaPolicies.\(name): no target for priority \"\(priority)\"")
            }
            for (field, targets) in [("firstResponseMinutes", policy.firstResponseMinutes), ("resolutionMinutes", policy.resolutionMinutes)] {
                for (priority, minutes) in targets.sorted(by: { $0.key < $1.key }) where !(0...Self.maxMinutes).contains(minutes) {
                    throw RouteError(.rules, "slaPolicies.\(name).\(field).\(priority): must be 0 to \(Self.maxMinutes) minutes (got \(minutes))")
                }
            }
            if let warnAt = policy.warnAt, !(warnAt > 0 && warnAt <= 1) {
                throw RouteError(.rules, "slaPolicies.\(name).warnAt: must be a share above 0 and at most 1 (got \(warnAt))")
            }
        }
        var seen = Set<String>()
        for (index, rule) in rules.enumerated() {
            let at = "rules[\(index)] (\(rule.id))"
            if !seen.insert(rule.id).inserted { throw RouteError(.rules, "\(at).id: used twice") }
            if rule.then.noTicket == true { continue }
            guard let department = rule.then.department else { throw RouteError(.rules, "\(at).then.department: required unless noTicket") }
            if !departments.contains(department) {
                throw RouteError(.rules, "\(at).then.department: \"\(department)\" is not in the department directory")
            }
            if let priority = rule.then.priority, !priorities.contains(priority) {
                throw RouteError(.rules, "\(at).then.priority: \"\(priority)\" is not one of \(priorities)")
            }
            if let policy = rule.then.slaPolicy, slaPolicies[policy] == nil {
                throw RouteError(.rules, "\(at).then.slaPolicy: \"\(policy)\" is not defined in slaPolicies")
            }
            if let low = rule.when.minAmount, let high = rule.when.maxAmount, low >= high {
                throw RouteError(.rules, "\(at).when.minAmount: must be below maxAmount")
            }
        }
        var grants = Set<String>()
        for (index, grant) in (firstContactAuthority ?? []).enumerated() {
            let at = "firstContactAuthority[\(index)] (\(grant.id))"
            if !grants.insert(grant.id).inserted { throw RouteError(.rules, "\(at).id: used twice") }
            if grant.agents.isEmpty { throw RouteError(.rules, "\(at).agents: must name at least one agent or \"*\"") }
            if let maxAmount = grant.maxAmount, !(maxAmount >= 0) { throw RouteError(.rules, "\(at).maxAmount: must not be negative") }
        }
    }

    /// The first rule that matches, or nil for no ticket.
    public func decide(_ insight: InsightProduced) -> Decision? {
        guard let rule = rules.first(where: { $0.when.holds(for: insight) }), rule.then.noTicket != true,
              let department = rule.then.department else { return nil }
        let strongest = insight.categories.filter { $0.id != "praise" }.max { $0.score < $1.score }?.id
        return Decision(
            ruleId: rule.id, department: department,
            priority: rule.then.priority ?? priorities[priorities.count / 2],
            slaPolicy: rule.then.slaPolicy ?? "standard",
            category: rule.then.category ?? strongest ?? "service_quality",
            regulatoryClock: rule.then.regulatoryClock ?? false)
    }

    /// The grant under which `agent` may resolve a contact about `category` with
    /// `amount` at stake, or nil when that is above the agent's authority.
    public func authority(agent: String, category: String, amount: Double?) -> Authority? {
        (firstContactAuthority ?? []).first { $0.covers(agent: agent, category: category, amount: amount) }
    }

    /// The longest window or wait a file may set, in days (ten years).
    public static let maxDays = 3_650
    /// The longest SLA target a file may set, in minutes (ten years).
    public static let maxMinutes = maxDays * 24 * 60

    /// How far back a new contact joins an open ticket about the same category.
    public var openWindow: TimeInterval { TimeInterval(openWindowDays * 86_400) }

    /// How long a resolved ticket waits for the customer's answer.
    public var confirmationWindow: TimeInterval { TimeInterval(max(1, closeAfterDays ?? 7) * 86_400) }

    /// One step up from `priority`, capped at the highest.
    public func raised(_ priority: String) -> String {
        guard let index = priorities.firstIndex(of: priority) else { return priority }
        return priorities[min(index + 1, priorities.count - 1)]
    }

    /// The higher of two priorities.
    public func higher(_ first: String, _ second: String) -> String {
        (priorities.firstIndex(of: first) ?? -1) >= (priorities.firstIndex(of: second) ?? -1) ? first : second
    }
}

extension RoutingRules.Condition {
    func holds(for insight: InsightProduced) -> Bool {
        if let categories, !insight.categories.contains(where: { categories.contains($0.id) }) { return false }
        if let businessLines, !businessLines.contains(insight.businessLine) { return false }
        if let channels, !channels.contains(insight.channel.rawValue) { return false }
        if let sentiments, !sentiments.contains(insight.sentiment.label) { return false }
        if let minComplaintRisk, insight.complaintRisk < minComplaintRisk { return false }
        if let complaintSignals, !(insight.complaintSignals ?? []).contains(where: { complaintSignals.contains($0) }) { return false }
        if let customerTiers, !customerTiers.contains(insight.customerTier ?? "") { return false }
        if let minAmount, (insight.amount ?? -1) < minAmount { return false }
        if let maxAmount, let amount = insight.amount, amount >= maxAmount { return false }
        if let compliance {
            let found = insight.compliance.map(\.rule)
            if compliance.contains("*") ? found.isEmpty : !found.contains(where: { compliance.contains($0) }) { return false }
        }
        return true
    }
}
