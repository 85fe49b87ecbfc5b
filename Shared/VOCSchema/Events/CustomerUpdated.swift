import Foundation

/// The CRM's view of a customer changed (`voc.customer.updated.v1`, key: customer id).
/// Route reads the owners from it; the projector keeps the customer 360.
public struct CustomerUpdated: VOCEvent {
    public static let topic = Topic.customerUpdated

    public var updateId: String
    public var customerId: String
    /// The offline owner (sales advisor).
    public var advisorId: String?
    /// The online owner (relationship manager).
    public var relationshipManagerId: String?
    public var businessLine: String?
    public var consents: Consents?
    public var updatedAt: Date

    public struct Consents: Codable, Sendable, Equatable {
        public var marketing: Bool?
        public var recording: Bool?
        /// PIPL Art. 29: separate consent before sensitive facts (health) are kept.
        public var sensitiveProfile: Bool?
        /// Whether the customer's contacts may be shared with the owner who did not serve
        /// them (route's owner sync); absent means yes. Added in v1, optional.
        public var ownerSync: Bool?

        public init(marketing: Bool? = nil, recording: Bool? = nil, sensitiveProfile: Bool? = nil, ownerSync: Bool? = nil) {
            self.marketing = marketing
            self.recording = recording
            self.sensitiveProfile = sensitiveProfile
            self.ownerSync = ownerSync
        }
    }

    public init(updateId: String, customerId: String, advisorId: String? = nil, relationshipManagerId: String? = nil,
                businessLine: String? = nil, consents: Consents? = nil, updatedAt: Date) {
        self.updateId = updateId
        self.customerId = customerId
        self.advisorId = advisorId
        self.relationshipManagerId = relationshipManagerId
        self.businessLine = businessLine
        self.consents = consents
        self.updatedAt = updatedAt
    }

    public var eventId: String { updateId }
    public var subject: String { customerId }
    public var eventTime: Date { updatedAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(updateId, "updateId")
        check.identifier(customerId, "customerId")
        check.identifier(advisorId, "advisorId", required: false)
        check.identifier(relationshipManagerId, "relationshipManagerId", required: false)
        check.identifier(businessLine, "businessLine", required: false, maxLength: 64)
        try check.throwIfAny()
    }
}
