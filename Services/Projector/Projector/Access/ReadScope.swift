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

/// Whose scorecards a caller may read: everyone's, their own, or none.
public enum ScorecardScope: Sendable, Equatable {
    case all
    case agent(String)
    case none
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

    public var scorecardScope: ScorecardScope {
        switch role {
        case .manager, .admin: .all
        case .advisor, .relationshipManager: .agent(subject)
        case .departmentStaff: .none
        }
    }
}
