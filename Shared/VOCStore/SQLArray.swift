import Foundation
import PostgresNIO

/// An element type of ``SQLArray``.
public protocol SQLArrayElement: SQLValue, PostgresArrayEncodable {}

extension String: SQLArrayElement {}
extension Int: SQLArrayElement {}
extension Bool: SQLArrayElement {}
extension Double: SQLArrayElement {}
extension Date: SQLArrayElement {}
extension UUID: SQLArrayElement {}

/// A one-dimensional array parameter whose elements may be NULL: one column of a
/// multi-row statement, `INSERT … SELECT * FROM unnest($1::text[], $2::timestamptz[], …)`,
/// where each row is one index of every array. (A Swift array binds only elements that
/// are never NULL.)
public struct SQLArray<Element: SQLArrayElement>: SQLValue {
    public var elements: [Element?]

    public init(_ elements: [Element?]) {
        self.elements = elements
    }

    public static var psqlType: PostgresDataType { Element.psqlArrayType }
    public static var psqlFormat: PostgresFormat { .binary }

    /// The binary array format of `array_recv`: dimensions, a has-NULL flag, the element
    /// type, the length and lower bound of the one dimension, then each element as its
    /// byte length and bytes, a NULL as length -1.
    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer,
                                                         context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains(where: { $0 == nil }) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
        }
    }
}

extension SQL.StringInterpolation {
    /// `bytea[]`, every element present.
    public mutating func appendInterpolation(_ values: [Data]) {
        inner.appendInterpolation(values.map { ByteBuffer(bytes: $0) })
    }
}
