namespace CostOps.Core.Budgets;

/// <summary>A budget definition was refused; <see cref="Errors"/> lists every problem found, each naming its field.</summary>
public sealed class BudgetValidationException(IReadOnlyList<string> errors)
    : Exception("Invalid budget: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
