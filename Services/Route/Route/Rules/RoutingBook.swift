import Foundation
import Logging
import VOCRuntime

/// Rules, directory and holiday calendar that hold together: every department a rule
/// names is in the directory.
public struct RoutingBook: Sendable {
    public var rules: RoutingRules
    public var directory: DepartmentDirectory
    public var holidays: HolidayCalendar

    /// - Throws: ``RouteError`` naming the file and field at fault.
    public init(rules: RoutingRules, directory: DepartmentDirectory, holidays: HolidayCalendar) throws(RouteError) {
        try directory.validate()
        try rules.validate(departments: directory.departmentIDs)
        self.rules = rules
        self.directory = directory
        self.holidays = holidays
    }

    /// Where the three files are.
    public struct Files: Sendable {
        public var rules: URL
        public var directory: URL
        public var holidays: URL

        public init(rules: URL, directory: URL, holidays: URL) {
            self.rules = rules
            self.directory = directory
            self.holidays = holidays
        }

        /// The files shipped with route: the finance pack, a sample directory, 2024–2026 holidays.
        public static func bundled() throws(RouteError) -> Files {
            func url(_ name: String) throws(RouteError) -> URL {
                guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
                    throw RouteError(.rules, "the bundled \(name).json is missing")
                }
                return url
            }
            return Files(rules: try url("routing-rules"), directory: try url("directory"), holidays: try url("cn-holidays"))
        }
    }

    /// - Throws: ``RouteError`` when a file cannot be read, decoded or checked.
    public static func load(_ files: Files) throws(RouteError) -> RoutingBook {
        func decode<T: Decodable>(_ type: T.Type, _ url: URL, _ code: RouteError.Code) throws(RouteError) -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
            } catch {
                throw RouteError(code, "\(url.path) does not load: \(error)")
            }
        }
        return try RoutingBook(
            rules: decode(RoutingRules.self, files.rules, .rules),
            directory: decode(DepartmentDirectory.self, files.directory, .directory),
            holidays: HolidayCalendar.load(files.holidays))
    }
}

/// The routing book in force, reloaded when one of its files changes. The three files
/// are loaded and checked together; a change that does not load is logged with the
/// reason and the previous book stays in force, so a typo never stops routing.
public final class RoutingBookStore: Sendable {
    public let files: RoutingBook.Files
    private let book: HotReloaded<RoutingBook>

    /// Loads the files; they must be valid at start.
    /// - Throws: ``RouteError`` when a file cannot be read or checked.
    public init(files: RoutingBook.Files, checkInterval: Duration = .seconds(2), logger: Logger) throws(RouteError) {
        self.files = files
        book = try HotReloaded(
            paths: [files.rules.path, files.directory.path, files.holidays.path], checkInterval: checkInterval,
            load: { () throws(RouteError) -> RoutingBook in try RoutingBook.load(files) },
            reloaded: { book, previous in
                logger.notice("routing rules reloaded", metadata: [
                    "version": "\(book.rules.version)", "previous": "\(previous.rules.version)",
                    "directory": "\(book.directory.version)",
                ])
            },
            refused: { error, inForce in
                logger.error("routing rules change ignored: the files do not load", metadata: [
                    "rules": "\(files.rules.path)", "error": "\(error)", "inForce": "\(inForce.rules.version)",
                ])
            })
        let loaded = book.current()
        logger.info("routing rules loaded", metadata: [
            "rules": "\(files.rules.path)", "version": "\(loaded.rules.version)", "directory": "\(loaded.directory.version)",
            "holidayYears": "\(loaded.holidays.years.sorted())",
        ])
    }

    public var checkInterval: Duration { book.checkInterval }

    /// Why the last change was refused, while the refused files are still in place.
    public var lastError: String? { book.lastError }

    /// The book in force, reloading it first when a file changed.
    public func current() -> RoutingBook { book.current() }

    /// Reloads now if a file changed, whatever the check interval (after the API wrote one).
    func reloadNow() { book.checkNow() }
}
