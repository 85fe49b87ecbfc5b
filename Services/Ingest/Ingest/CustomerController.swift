import Foundation
import Hummingbird
import VOCSchema

/// `PUT /v1/customers/{id}`: the CRM tells who owns a customer (advisor, relationship
/// manager), the business line and the consents → `voc.customer.updated.v1`.
struct CustomerController: Sendable {
    let intake: Intake

    func addRoutes(to group: RouterGroup<IngestRequestContext>) {
        group.put("customers/:customerId") { request, context in
            try await AnswerError.catching {
                try await update(request, context: context)
            }
        }
    }

    struct Submission: Decodable {
        var advisorId: String?
        var relationshipManagerId: String?
        var businessLine: String?
        var consents: CustomerUpdated.Consents?
        var problems: [FieldProblem] = []

        private enum Keys: String, CodingKey, CaseIterable { case advisorId, relationshipManagerId, businessLine, consents }
        private enum ConsentKeys: String, CodingKey, CaseIterable { case marketing, recording, sensitiveProfile }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            advisorId = container.lenient(String.self, .advisorId, &problems)
            relationshipManagerId = container.lenient(String.self, .relationshipManagerId, &problems)
            businessLine = container.lenient(String.self, .businessLine, &problems)
            consents = container.lenient(CustomerUpdated.Consents.self, .consents, &problems)
            // An explicit null would read as "unchanged" downstream; say so rather than guess.
            Self.rejectNulls(container, prefix: "", &problems)
            if let nested = try? container.nestedContainer(keyedBy: ConsentKeys.self, forKey: .consents) {
                Self.rejectNulls(nested, prefix: "consents.", &problems)
            }
        }

        private static func rejectNulls<K: CodingKey & CaseIterable>(_ container: KeyedDecodingContainer<K>, prefix: String,
                                                                     _ problems: inout [FieldProblem]) {
            for key in K.allCases where container.contains(key) && ((try? container.decodeNil(forKey: key)) ?? false) {
                problems.append(FieldProblem(field: prefix + key.stringValue, problem: "must not be null; leave it out to keep the current value"))
            }
        }
    }

    struct Accepted: Codable, Sendable {
        var customerId: String
        var updateId: String
        var status = "accepted"
    }

    func update(_ request: Request, context: IngestRequestContext) async throws -> Response {
        let gateway = context.gateway!
        guard gateway.customers else {
            return Answer.forbidden("gateway \(gateway.id) may not update customers (the key needs \"customers\": true)",
                                    field: "Authorization").response
        }
        let key = try IdempotentRequests.key(of: request)
        let body = try await intake.collect(request, limit: 64 * 1024)
        let customerId = context.parameters.get("customerId") ?? ""
        return try await intake.idempotency.run(
            key: key, gateway: gateway.id, fingerprint: IdempotentRequests.fingerprint(request, body: body), logger: context.logger
        ) {
            let updateId = key.map { StableID.make("customer-update", gateway.id, $0) } ?? UUIDText.random()
            let event: CustomerUpdated
            switch Result(catching: { () throws(ValidationError) in try Self.validated(body, customerId: customerId, updateId: updateId) }) {
            case .success(let value): event = value
            case .failure(let error): return Answer.invalid(error, subject: "customer update")
            }
            if let limited = intake.admit(gateway) { return limited }
            if let failure = await intake.publish(event, request: request, logger: context.logger) { return failure }
            return Answer.json(Accepted(customerId: customerId, updateId: event.updateId), status: 202)
        }.response
    }

    static func validated(_ body: [UInt8], customerId: String, updateId: String) throws(ValidationError) -> CustomerUpdated {
        let submission = try JSONCoding.decode(Submission.self, from: body)
        var check = FieldChecker()
        check.merge(submission.problems)
        check.identifier(customerId, "customerId")
        if submission.problems.isEmpty, submission.advisorId == nil, submission.relationshipManagerId == nil,
           submission.businessLine == nil, submission.consents == nil {
            check.fail("body", "send at least one of advisorId, relationshipManagerId, businessLine, consents")
        }
        if let line = submission.businessLine, !line.isEmpty, !InteractionSubmission.isSlug(line) {
            check.fail("businessLine", "must use only a-z, 0-9, '_' and '-' (got \"\(line)\")")
        }
        try check.throwIfAny()
        let event = CustomerUpdated(updateId: updateId, customerId: customerId, advisorId: submission.advisorId,
                                    relationshipManagerId: submission.relationshipManagerId, businessLine: submission.businessLine,
                                    consents: submission.consents, updatedAt: Date())
        try event.validate()
        return event
    }
}
