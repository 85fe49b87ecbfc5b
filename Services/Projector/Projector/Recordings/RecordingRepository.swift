import Foundation
import VOCStore

/// A recorded contact's claim-check, as the interaction carried it.
public struct RecordingReference: Sendable, Equatable {
    public var interactionId: String
    public var customerId: String
    public var uri: String
    public var mediaType: String
    public var sizeBytes: Int64
    public var sha256: String
}

/// Finds the recording of a contact, for a caller who may see its customer.
public struct RecordingRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The reference, or nil when the contact has no recording or `scope` may not see its
    /// customer (the two answer the same).
    public func reference(_ interactionId: String, scope: CustomerScope) async throws -> RecordingReference? {
        guard let (customer, uri, mediaType, size, sha256) = try await store.rows(
            "SELECT customer_id, uri, media_type, size_bytes, sha256 FROM recordings WHERE interaction_id = \(interactionId)",
            as: String.self, String.self, String.self, Int.self, String.self).first,
            try await CustomerRepository(store: store).isVisible(customer, scope: scope) else { return nil }
        return RecordingReference(interactionId: interactionId, customerId: customer, uri: uri, mediaType: mediaType, sizeBytes: Int64(size),
                                  sha256: sha256)
    }
}
