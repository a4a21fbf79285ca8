namespace CostOps.Infrastructure.Ingestion;

/// <summary>Counts a text's tokens with the model's tokenizer, for events that carry text instead of counts.</summary>
public interface ITokenCounter
{
    long Count(string? model, string text);
}
