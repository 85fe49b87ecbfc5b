import Foundation
import PostgresNIO

/// Arrays bound as one parameter each, for set-based statements
/// (`INSERT … SELECT * FROM unnest(\(a)::text[], \(b)::bytea[])`): a whole batch in one
/// round trip. Plain `[String]` and `[Int]` bind already; these add the element types
/// PostgresNIO cannot put in an array by itself.
extension SQL.StringInterpolation {
    /// An array whose elements may be NULL (a nullable column's values).
    public mutating func appendInterpolation<Element: SQLValue & PostgresArrayEncodable>(_ values: [Element?]) {
        inner.appendInterpolation(NullableArray(elements: values))
    }

    /// `bytea[]`.
    public mutating func appendInterpolation(_ values: [Data]) {
        inner.appendInterpolation(values.map { ByteBuffer(bytes: $0) })
    }

    /// `bytea[]` with NULLs.
    public mutating func appendInterpolation(_ values: [Data?]) {
        inner.appendInterpolation(NullableArray(elements: values.map { $0.map { ByteBuffer(bytes: $0) } }))
    }
}

/// A one-dimensional PostgreSQL array in binary form (`array_recv`'s format: dimensions, a
/// has-NULL flag, the element type, the length and lower bound of the one dimension, then
/// each element as its byte length and bytes), a NULL element written as length -1.
struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable, Sendable
where Element: Sendable {
    var elements: [Element?]

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            if let element {
                let lengthAt = buffer.writerIndex
                buffer.writeInteger(0, as: Int32.self)
                let start = buffer.writerIndex
                element.encode(into: &buffer, context: context)
                buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthAt)
            } else {
                buffer.writeInteger(-1, as: Int32.self)
            }
        }
    }
}
