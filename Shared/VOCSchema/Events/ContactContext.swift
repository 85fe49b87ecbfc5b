/// What the channel said about a contact besides its words: who handled it, the ticket
/// it answers, whether the agent resolved it there, the money at stake and the customer's
/// tier. It travels from the interaction through its transcript to its insight, where
/// route decides with it; each event carries it as flat optional fields.
public struct ContactContext: Sendable, Equatable {
    public var agentId: String?
    public var replyTo: String?
    public var resolvedInContact: Bool?
    public var amount: Double?
    public var customerTier: String?

    public init(agentId: String? = nil, replyTo: String? = nil, resolvedInContact: Bool? = nil, amount: Double? = nil,
                customerTier: String? = nil) {
        self.agentId = agentId
        self.replyTo = replyTo
        self.resolvedInContact = resolvedInContact
        self.amount = amount
        self.customerTier = customerTier
    }
}

extension InteractionReceived {
    public var context: ContactContext {
        ContactContext(agentId: agentId, replyTo: replyTo, resolvedInContact: resolvedInContact, amount: amount,
                       customerTier: customerTier)
    }
}

extension TranscriptReady {
    public var context: ContactContext {
        get {
            ContactContext(agentId: agentId, replyTo: replyTo, resolvedInContact: resolvedInContact, amount: amount,
                           customerTier: customerTier)
        }
        set {
            agentId = newValue.agentId
            replyTo = newValue.replyTo
            resolvedInContact = newValue.resolvedInContact
            amount = newValue.amount
            customerTier = newValue.customerTier
        }
    }
}

extension InsightProduced {
    public var context: ContactContext {
        get {
            ContactContext(agentId: agentId, replyTo: replyTo, resolvedInContact: resolvedInContact, amount: amount,
                           customerTier: customerTier)
        }
        set {
            agentId = newValue.agentId
            replyTo = newValue.replyTo
            resolvedInContact = newValue.resolvedInContact
            amount = newValue.amount
            customerTier = newValue.customerTier
        }
    }
}
