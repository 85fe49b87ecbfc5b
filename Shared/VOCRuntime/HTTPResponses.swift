import Foundation
import Hummingbird
import VOCFastJSON
import VOCSchema

/// JSON and RFC 9457 problem responses, the only bodies our APIs send.
public enum HTTPResponses {
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok,
                                          headers: HTTPFields = [:]) -> Response {
        encoded(value, status: status, contentType: "application/json", headers: headers)
    }

    /// An RFC 9457 `application/problem+json` response.
    public static func problem(_ problem: Problem, headers: HTTPFields = [:]) -> Response {
        encoded(problem, status: .init(code: problem.status), contentType: "application/problem+json", headers: headers)
    }

    /// The JSON bytes of a body, with the pipeline's encoder.
    public static func bytes<T: Encodable>(of value: T) -> [UInt8] {
        if let writable = value as? any JSONWritable { return writable.jsonBytes }
        return Array((try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8))
    }

    private static func encoded<T: Encodable>(_ value: T, status: HTTPResponse.Status, contentType: String,
                                              headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes(of: value))))
    }
}

/// RFC 9457 problem details, with `errors` listing each bad field.
public struct Problem: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [FieldProblem]?

    public init(type: String, title: String, status: Int, detail: String, errors: [FieldProblem]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    /// 400 for bytes that are not a JSON object, 422 for fields that break the contract.
    public init(validation error: ValidationError, subject: String) {
        switch error.kind {
        case .malformed:
            self.init(type: "/problems/malformed-json", title: "Malformed JSON", status: 400,
                      detail: error.description, errors: error.problems)
        case .invalid:
            let count = error.problems.count
            self.init(type: "/problems/invalid-fields", title: "Invalid \(subject)", status: 422,
                      detail: "\(count) field\(count == 1 ? " is" : "s are") invalid: \(error.description)",
                      errors: error.problems)
        }
    }
}
