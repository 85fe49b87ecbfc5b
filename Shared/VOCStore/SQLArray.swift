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

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer,
                                                         context: PostgresEncodingContext<JSONEncoder>) {
        NullableArray(elements: elements).encode(into: &buffer, context: context)
    }
}
