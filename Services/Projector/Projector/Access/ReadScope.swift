import Foundation

/// Which customers a caller may see. Advisors and relationship managers see the customers
/// the CRM names them owner of; department staff the customers their department has a
/// ticket for (to work it); managers and admins everyone.
public enum CustomerScope: Sendable, Equatable {
    case all
    case advisor(String)
    case relationshipManager(String)
    case department(String)
}

/// Which tickets a caller may see: their department's, or their own customers'.
public enum TicketScope: Sendable, Equatable {
    case all
    case department(String)
    case customersOf(CustomerScope)
}

extension ReadToken {
    public var customerScope: CustomerScope {
        switch role {
        case .advisor: .advisor(subject)
        case .relationshipManager: .relationshipManager(subject)
        // A verified department_staff token always carries its department.
        case .departmentStaff: .department(department ?? "")
        case .manager, .admin: .all
        }
    }

    public var ticketScope: TicketScope {
        switch role {
        case .advisor, .relationshipManager: .customersOf(customerScope)
        case .departmentStaff: .department(department ?? "")
        case .manager, .admin: .all
        }
    }

    /// Whose scorecards the caller may read: nil for everyone's.
    public var scorecardAgent: String?? {
        switch role {
        case .manager, .admin: .some(nil)
        case .advisor, .relationshipManager: .some(subject)
        case .departmentStaff: nil
        }
    }
}
