-- The budgets of one evaluation tick, written once (TSV insert) and joined by budgets/spend_by_scope and
-- budgets/spend_by_tag; one table per tick (unique name), dropped by maintenance/drop_scratch_table, so concurrent evaluators
-- never share one. Cheaper than passing thousands of budgets as query parameters.
CREATE TABLE IF NOT EXISTS {table:Identifier}
(
    i           UInt32,
    b_tenant    String,
    b_project   String,
    b_user      String,
    b_feature   String,
    b_provider  String,
    b_model     String,
    b_tag_key   String,
    b_tag_value String,
    b_start     DateTime64(3, 'UTC')
)
ENGINE = Memory
