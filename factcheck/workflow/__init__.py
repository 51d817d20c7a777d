"""The desk's workflow, above the data layer: review and its state machine, the queue and
its leases, priorities, and the reviewers' changes to sources.

`factcheck.db` holds the rows and the small queries; these modules decide what may
change and write the audit trail as they do. `db` never imports them.
"""
