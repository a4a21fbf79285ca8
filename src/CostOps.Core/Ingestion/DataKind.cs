namespace CostOps.Core.Ingestion;

/// <summary>What the <c>data</c> member of a CloudEvents envelope held.</summary>
internal enum DataKind
{
    Absent,
    Object,
    Null,
    Other,
}
