import VOCSchema

/// Compliance of advisor sales calls (双录): speaker- and order-aware.
///
/// - `identity_not_stated`: none of the agent's first turns says who they are.
/// - `risk_disclosure_missing`: the agent never discloses the risk (不保本 counts: the
///   rule file lists it as a disclosure, and negation keeps 保本 from reading as a promise).
/// - `guaranteed_return_promise`: the agent promises principal or returns; a negated
///   promise (不保证收益, cannot guarantee) is not one, and the customer's words never are.
/// - `customer_confirmation_missing`: no customer confirmation *after* the first disclosure.
public struct ComplianceChecker: Sendable {
    public struct Finding: Sendable, Equatable {
        public var rule: String
        public var utteranceIndex: Int?
        /// Why: the utterance that breaks the rule, or what was looked for and not found.
        public var reason: String
    }

    func check(_ document: MatchDocument, channel: String, rules: CompiledRules) -> [Finding] {
        let definition = rules.pack.compliance
        guard definition.channels.contains(channel) else { return [] }
        let agentTurns = document.utterances.indices.filter { document.utterances[$0].speaker == .agent }
        var findings: [Finding] = []

        let firstAgentTurns = Set(agentTurns.prefix(max(1, definition.identityWithinAgentTurns)))
        let identity = rules.hits(rules.identity, in: document).filter { firstAgentTurns.contains($0.utterance) && isAgent($0, document) }
        if identity.isEmpty {
            findings.append(Finding(rule: "identity_not_stated", utteranceIndex: agentTurns.first,
                                    reason: "the agent's first \(definition.identityWithinAgentTurns) turns do not state name, firm or licence"))
        }

        let disclosures = rules.hits(rules.riskDisclosure, in: document).filter { isAgent($0, document) }
        if disclosures.isEmpty {
            findings.append(Finding(rule: "risk_disclosure_missing", utteranceIndex: nil,
                                    reason: "the agent never discloses that principal or returns are at risk"))
        }

        for promise in rules.hits(rules.guaranteedReturn, in: document) where isAgent(promise, document) {
            findings.append(Finding(rule: "guaranteed_return_promise", utteranceIndex: promise.utterance,
                                    reason: "the agent promises principal or returns"))
        }

        let confirmations = rules.hits(rules.customerConfirmation, in: document)
            .filter { document.utterances[$0.utterance].speaker == .customer }
        if let firstDisclosure = disclosures.first?.utterance {
            if !confirmations.contains(where: { $0.utterance > firstDisclosure }) {
                let early = confirmations.first { $0.utterance < firstDisclosure }
                findings.append(Finding(
                    rule: "customer_confirmation_missing", utteranceIndex: early?.utterance ?? firstDisclosure,
                    reason: early == nil ? "the customer never confirms after the risk disclosure"
                        : "the customer's confirmation comes before the risk disclosure"))
            }
        } else {
            findings.append(Finding(rule: "customer_confirmation_missing", utteranceIndex: nil,
                                    reason: "no risk disclosure for the customer to confirm"))
        }
        return findings
    }

    /// Agent turns only; an utterance of unknown speaker is not evidence of either side.
    private func isAgent(_ hit: RuleHit, _ document: MatchDocument) -> Bool {
        document.utterances[hit.utterance].speaker == .agent
    }
}
