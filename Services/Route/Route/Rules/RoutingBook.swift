import Foundation
import Logging
import Synchronization

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

/// The routing book in force, reloaded when one of its files changes.
///
/// At most every `checkInterval` a call to ``current()`` compares the files' modification
/// times and sizes with the loaded ones; when they differ the three are loaded and
/// checked together. A change that does not load is logged with the reason and the
/// previous book stays in force, so a typo never stops routing.
public final class RoutingBookStore: Sendable {
    public let files: RoutingBook.Files
    public let checkInterval: Duration
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var book: RoutingBook
        var stamps: [Stamp?]
        var lastCheck: ContinuousClock.Instant
        var lastError: String?
    }

    struct Stamp: Equatable {
        var modified: Date
        var size: Int
    }

    /// Loads the files; they must be valid at start.
    /// - Throws: ``RouteError`` when a file cannot be read or checked.
    public init(files: RoutingBook.Files, checkInterval: Duration = .seconds(2), logger: Logger) throws(RouteError) {
        self.files = files
        self.checkInterval = checkInterval
        self.logger = logger
        let stamps = Self.stamps(files)
        let book = try RoutingBook.load(files)
        state = Mutex(State(book: book, stamps: stamps, lastCheck: .now))
        logger.info("routing rules loaded", metadata: [
            "rules": "\(files.rules.path)", "version": "\(book.rules.version)", "directory": "\(book.directory.version)",
            "holidayYears": "\(book.holidays.years.sorted())",
        ])
    }

    /// Why the last change was refused, while the refused files are still in place.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// The book in force, reloading it first when a file changed.
    public func current() -> RoutingBook {
        state.withLock { state in
            let now = ContinuousClock.now
            guard now - state.lastCheck >= checkInterval else { return state.book }
            state.lastCheck = now
            let stamps = Self.stamps(files)
            guard stamps != state.stamps else { return state.book }
            state.stamps = stamps
            do {
                let book = try RoutingBook.load(files)
                logger.notice("routing rules reloaded", metadata: [
                    "version": "\(book.rules.version)", "previous": "\(state.book.rules.version)",
                    "directory": "\(book.directory.version)",
                ])
                state.book = book
                state.lastError = nil
            } catch {
                logger.error("routing rules change ignored: the files do not load", metadata: [
                    "rules": "\(files.rules.path)", "error": "\(error)", "inForce": "\(state.book.rules.version)",
                ])
                state.lastError = "\(error)"
            }
            return state.book
        }
    }

    static func stamps(_ files: RoutingBook.Files) -> [Stamp?] {
        [files.rules, files.directory, files.holidays].map { url in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  let modified = attributes[.modificationDate] as? Date else { return nil }
            return Stamp(modified: modified, size: (attributes[.size] as? Int) ?? 0)
        }
    }
}
