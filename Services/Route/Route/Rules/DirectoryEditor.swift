import Foundation
import Synchronization
import VOCSchema

/// Edits the department directory file on behalf of the API: one department put or
/// removed at a time, checked as a reload of the file would check it (the directory
/// against itself, every rule's department against the directory), written atomically
/// and put in force at once. The file is the directory's only home, so what the API
/// changed survives a restart and an operator's later edit of the file sees it.
public final class DirectoryEditor: Sendable {
    let books: RoutingBookStore
    /// Nil when the directory in force is the sample shipped with route (not editable).
    let path: URL?
    private let writing = Mutex<Void>(())

    public init(books: RoutingBookStore, editable: Bool) {
        self.books = books
        path = editable ? books.files.directory : nil
    }

    /// The directory file as it stands and its entity tag.
    public func read() throws(RouteError) -> (directory: DepartmentDirectory, etag: String) {
        let bytes = try Self.bytes(books.files.directory)
        do {
            return (try JSONDecoder().decode(DepartmentDirectory.self, from: bytes), Self.etag(bytes))
        } catch {
            throw RouteError(.directory, "\(books.files.directory.path) does not load: \(error)")
        }
    }

    /// Applies `change` to the directory file if it is still at `expectedTag`.
    /// - Throws: ``RouteError`` `.notEditable` for the bundled sample, `.directory` or
    ///   `.rules` naming the field at fault, `.conflict` for a stale tag of a change that
    ///   would otherwise apply.
    public func edit(expectedTag: String, _ change: (inout DepartmentDirectory) throws(RouteError) -> Void)
        throws(RouteError) -> (directory: DepartmentDirectory, etag: String) {
        guard let path else {
            throw RouteError(.notEditable, "the directory in force is the sample shipped with route; set route.directoryPath to a writable file to edit it")
        }
        return try writing.withLock { _ throws(RouteError) -> (directory: DepartmentDirectory, etag: String) in
            let (current, etag) = try read()
            var directory = current
            try change(&directory)
            let book = books.current()
            _ = try RoutingBook(rules: book.rules, directory: directory, holidays: book.holidays)
            // After the checks: a change that could never apply is refused for what it is
            // (422, 404, 409), not sent back to be read again and retried.
            if etag != expectedTag { throw RouteError(.conflict, "the directory is at \(etag), not \(expectedTag)") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let bytes: Data
            do {
                bytes = try encoder.encode(directory)
                try bytes.write(to: path, options: .atomic)
            } catch {
                throw RouteError(.directory, "\(path.path) could not be written: \(error)")
            }
            books.reloadNow()
            return (directory, Self.etag(bytes))
        }
    }

    static func bytes(_ url: URL) throws(RouteError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw RouteError(.directory, "\(url.path) cannot be read: \(error)")
        }
    }

    static func etag(_ bytes: Data) -> String {
        "\"" + StableID.make("directory", String(decoding: bytes, as: UTF8.self)) + "\""
    }
}
