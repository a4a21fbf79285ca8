using System.Globalization;
using System.Text.Json;
using CostOps.Core.Pricing;
using CostOps.Core.Pricing.CommunityMap;

namespace CostOps.Infrastructure.Pricing;

/// <summary>A sync report as JSON (for <c>--json</c> and the refresh schedule's record) or as text for a reviewer.</summary>
public static class PriceSyncReportJson
{
    /// <summary>The report as one JSON object: summary counts, then added, changed (old -> new per field), gone, pinned and traffic.</summary>
    public static string Write(PriceSyncReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var plan = report.Plan;
            w.WriteStartObject();
            w.WriteString("from", report.From);
            w.WriteString("effective", plan.Effective.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteBoolean("applied", report.Applied);
            w.WriteNumber("map_models", report.MapModels);
            w.WriteNumber("skipped", report.Skipped.Count);
            w.WriteNumber("unchanged", plan.Unchanged);
            w.WriteStartArray("added");
            foreach (var m in plan.Added)
            {
                w.WriteStartObject();
                w.WriteString("provider", m.Provider.OtelName());
                w.WriteString("model", m.Model);
                w.WriteString("mode", m.Capabilities.Mode);
                WriteFields(w, "prices", PriceFields.Of(m.Prices[0]).Where(f => f.Value is not null).Select(f => (f.Field, (decimal?)null, f.Value)));
                WriteTraffic(w, report.Traffic.Where(t => t.UnknownModel.Length > 0 && string.Equals(t.UnknownModel, m.Model, StringComparison.OrdinalIgnoreCase)));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            foreach (var (name, changes) in new[] { ("changed", plan.Changed), ("pinned", plan.Pinned) })
            {
                w.WriteStartArray(name);
                foreach (var c in changes)
                {
                    w.WriteStartObject();
                    w.WriteString("provider", c.Model.Provider.OtelName());
                    w.WriteString("model", c.Model.Model);
                    w.WriteString("old_version", c.Old.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    WriteFields(w, "fields", c.Fields.Select(f => (f.Field, f.Old, f.New)));
                    WriteTraffic(w, report.Traffic.Where(t => t.Entry == EntryKey(c.Model)));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("gone");
            foreach (var m in plan.Gone) w.WriteStringValue($"{m.Provider.OtelName()}/{m.Model}");
            w.WriteEndArray();
            w.WriteStartArray("new_ids");
            foreach (var a in plan.Aliases) w.WriteStringValue($"{a.Provider.OtelName()}/{a.Model} <- {a.Id}");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The report for a reviewer: one line per added model, per changed field (old -> new), gone and pinned models.</summary>
    public static void WriteText(PriceSyncReport report, TextWriter output)
    {
        var plan = report.Plan;
        output.WriteLine($"{report.From}: {report.MapModels} priced entries ({report.Skipped.Count} skipped), effective {plan.Effective:yyyy-MM-dd}");
        output.WriteLine($"  {plan.Added.Count} added, {plan.Changed.Count} changed, {plan.Unchanged} unchanged, {plan.Gone.Count} gone from the source (kept), {plan.Pinned.Count} pinned (kept), {plan.Aliases.Count} new ids");
        foreach (var m in plan.Added)
        {
            var unpriced = report.Traffic.Where(t => string.Equals(t.UnknownModel, m.Model, StringComparison.OrdinalIgnoreCase)).Sum(t => t.Events);
            output.WriteLine($"+ {m.Provider.OtelName()}/{m.Model}  input {N(m.Prices[0].Input)} output {N(m.Prices[0].Output)}"
                + (unpriced > 0 ? $"  ({unpriced} stored unknown_model events since {plan.Effective:yyyy-MM-dd}: costops reprice to price them)" : ""));
        }
        foreach (var (mark, changes) in new[] { ("~", plan.Changed), ("= pinned, not applied:", plan.Pinned) })
        {
            foreach (var c in changes)
            {
                var touched = report.Traffic.Where(t => t.Entry == EntryKey(c.Model)).ToList();
                output.WriteLine($"{mark} {c.Model.Provider.OtelName()}/{c.Model.Model}: "
                    + string.Join(", ", c.Fields.Select(f => $"{f.Field} {N(f.Old)} -> {N(f.New)}"))
                    + (touched.Count > 0 ? $"  ({touched.Sum(t => t.Events)} stored events since {plan.Effective:yyyy-MM-dd}, {touched.Sum(t => t.CostUsd).ToString(CultureInfo.InvariantCulture)} USD: costops reprice to apply)" : ""));
            }
        }
        foreach (var m in plan.Gone) output.WriteLine($"- {m.Provider.OtelName()}/{m.Model} (gone from the source; kept)");
        output.WriteLine(report.Applied ? "Applied: new versions written from the effective date; earlier traffic keeps its prices."
            : plan.IsEmpty ? "Nothing to apply." : "Dry run: --apply writes these as new versions.");
    }

    private static string EntryKey(CatalogModel model) => $"{model.Provider.OtelName()}/{model.Model}";

    private static void WriteFields(Utf8JsonWriter w, string name, IEnumerable<(string Field, decimal? Old, decimal? New)> fields)
    {
        w.WriteStartObject(name);
        foreach (var (field, old, @new) in fields)
        {
            w.WriteStartObject(field);
            if (old is { } o) w.WriteNumber("old", o); else w.WriteNull("old");
            if (@new is { } n) w.WriteNumber("new", n); else w.WriteNull("new");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTraffic(Utf8JsonWriter w, IEnumerable<TrafficSince> rows)
    {
        var list = rows.ToList();
        w.WriteNumber("stored_events_since_effective", list.Sum(t => t.Events));
        w.WriteNumber("stored_cost_usd_since_effective", list.Sum(t => t.CostUsd));
    }

    private static string N(decimal? value) => value is { } v ? (v / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "-";
}
