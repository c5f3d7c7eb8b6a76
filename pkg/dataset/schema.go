package dataset

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/godltrigger/godltrigger/pkg/spec"
)

// Kind is the type of a column.
type Kind int

const (
	// Int64 is a 64-bit integer (Spark's LongType), e.g. label.
	Int64 Kind = iota + 1
	// Float64List is a list of Width doubles (Spark's array<double>).
	Float64List
	// Float64List2 is a list of Rows lists of Cols doubles (Spark's array<array<double>>).
	Float64List2
)

// String returns the Spark SQL spelling of the kind.
func (k Kind) String() string {
	switch k {
	case Int64:
		return "bigint"
	case Float64List:
		return "array<double>"
	case Float64List2:
		return "array<array<double>>"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Column describes one column: its name, kind and, for lists, its fixed shape.
type Column struct {
	Name  string
	Kind  Kind
	Width int // length of a Float64List
	Rows  int // outer length of a Float64List2
	Cols  int // inner length of a Float64List2
}

// Len is the number of values one row of the column holds: 1 for Int64, Width for
// Float64List, Rows*Cols for Float64List2. Batches hold Len values per row, flattened.
func (c Column) Len() int {
	switch c.Kind {
	case Float64List:
		return c.Width
	case Float64List2:
		return c.Rows * c.Cols
	}
	return 1
}

// String describes the column's type and shape, e.g. "array<double>(14)".
func (c Column) String() string {
	switch c.Kind {
	case Float64List:
		return fmt.Sprintf("%s %v(%d)", c.Name, c.Kind, c.Width)
	case Float64List2:
		return fmt.Sprintf("%s %v(%dx%d)", c.Name, c.Kind, c.Rows, c.Cols)
	}
	return fmt.Sprintf("%s %v", c.Name, c.Kind)
}

func (c Column) validate() error {
	switch c.Kind {
	case Int64:
	case Float64List:
		if c.Width < 1 {
			return fmt.Errorf("column %s: list width %d, want >= 1", c.Name, c.Width)
		}
	case Float64List2:
		if c.Rows < 1 || c.Cols < 1 {
			return fmt.Errorf("column %s: list shape %dx%d, want both >= 1", c.Name, c.Rows, c.Cols)
		}
	default:
		return fmt.Errorf("column %s: unknown kind %d", c.Name, int(c.Kind))
	}
	if c.Name == "" {
		return fmt.Errorf("column with empty name")
	}
	return nil
}

// Schema is an ordered list of columns.
type Schema []Column

// Ingested is the output of step 1 as readers see it: hfeatures (14), lfeatures
// (801x19) and label. Like Spark's partitionBy("label"), the part files do NOT hold
// label: it lives in the directory name (DIR/label=K/part-...), and readers add it
// from there. Write part files with Ingested().Drop("label").
func Ingested() Schema {
	return Schema{
		{Name: spec.ColumnHFeatures, Kind: Float64List, Width: spec.NumHLF},
		{Name: spec.ColumnLabel, Kind: Int64},
		{Name: spec.ColumnLFeatures, Kind: Float64List2, Rows: spec.SequenceLength, Cols: spec.NumParticleFeatures},
	}
}

// Full is the published "full" dataset of step 2.
func Full() Schema {
	return Schema{
		{Name: spec.ColumnHFeatures, Kind: Float64List, Width: spec.NumHLF},
		{Name: spec.ColumnLabel, Kind: Int64},
		{Name: spec.ColumnLFeatures, Kind: Float64List2, Rows: spec.SequenceLength, Cols: spec.NumParticleFeatures},
		{Name: spec.ColumnEncodedLabel, Kind: Float64List, Width: spec.NumClasses},
		{Name: spec.ColumnHLFInput, Kind: Float64List, Width: spec.NumHLF},
		{Name: spec.ColumnGRUInput, Kind: Float64List2, Rows: spec.SequenceLength, Cols: spec.NumParticleFeatures},
	}
}

// HLF is the published high-level-feature dataset of step 2.
func HLF() Schema {
	return Schema{
		{Name: spec.ColumnHLFInput, Kind: Float64List, Width: spec.NumHLF},
		{Name: spec.ColumnEncodedLabel, Kind: Float64List, Width: spec.NumClasses},
	}
}

// Inclusive is the published inclusive dataset of step 2; GRU_input is flattened to
// 801*19 = 15219 doubles.
func Inclusive() Schema {
	return Schema{
		{Name: spec.ColumnHLFInput, Kind: Float64List, Width: spec.NumHLF},
		{Name: spec.ColumnGRUInput, Kind: Float64List, Width: spec.SequenceLength * spec.NumParticleFeatures},
		{Name: spec.ColumnEncodedLabel, Kind: Float64List, Width: spec.NumClasses},
	}
}

// Index returns the position of the named column, or -1.
func (s Schema) Index(name string) int {
	for i, c := range s {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = c.Name
	}
	return out
}

// Select returns the named columns, in the order given.
func (s Schema) Select(names ...string) (Schema, error) {
	out := make(Schema, 0, len(names))
	for _, n := range names {
		i := s.Index(n)
		if i < 0 {
			return nil, fmt.Errorf("dataset: no column %q in schema (%s)", n, strings.Join(s.Names(), ", "))
		}
		out = append(out, s[i])
	}
	return out, nil
}

// Drop returns the schema without the named columns.
func (s Schema) Drop(names ...string) Schema {
	out := make(Schema, 0, len(s))
next:
	for _, c := range s {
		for _, n := range names {
			if c.Name == n {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}

// RowBytes is the uncompressed size of one row in bytes.
func (s Schema) RowBytes() int {
	n := 0
	for _, c := range s {
		n += 8 * c.Len()
	}
	return n
}

// Validate reports a schema that cannot be written: no columns, duplicate or empty
// names, bad shapes.
func (s Schema) Validate() error {
	if len(s) == 0 {
		return fmt.Errorf("dataset: empty schema")
	}
	seen := map[string]bool{}
	for _, c := range s {
		if err := c.validate(); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		if seen[c.Name] {
			return fmt.Errorf("dataset: column %s appears twice", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// parquetSchema builds the schema exactly as Spark writes it: every field optional,
// lists in the standard 3-level form
//
//	optional group X (LIST) { repeated group list { optional double element; } }
func (s Schema) parquetSchema() (*schema.GroupNode, error) {
	fields := make(schema.FieldList, 0, len(s))
	for _, c := range s {
		var n schema.Node
		var err error
		switch c.Kind {
		case Int64:
			n = schema.NewInt64Node(c.Name, parquet.Repetitions.Optional, -1)
		case Float64List:
			n, err = listNode(c.Name, schema.NewFloat64Node("element", parquet.Repetitions.Optional, -1))
		case Float64List2:
			var inner schema.Node
			inner, err = listNode("element", schema.NewFloat64Node("element", parquet.Repetitions.Optional, -1))
			if err == nil {
				n, err = listNode(c.Name, inner)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("dataset: column %s: %w", c.Name, err)
		}
		fields = append(fields, n)
	}
	return schema.NewGroupNode("spark_schema", parquet.Repetitions.Required, fields, -1)
}

func listNode(name string, element schema.Node) (schema.Node, error) {
	list, err := schema.NewGroupNode("list", parquet.Repetitions.Repeated, schema.FieldList{element}, -1)
	if err != nil {
		return nil, err
	}
	return schema.NewGroupNodeLogical(name, parquet.Repetitions.Optional, schema.FieldList{list}, schema.NewListLogicalType(), -1)
}

// SparkSchemaKey is the footer key under which Spark stores its row schema as JSON.
const SparkSchemaKey = "org.apache.spark.sql.parquet.row.metadata"

// sparkJSON is the schema in Spark's JSON form (StructType.json), as Spark writes
// it into the footer under SparkSchemaKey.
func (s Schema) sparkJSON() string {
	type field struct {
		Name     string         `json:"name"`
		Type     any            `json:"type"`
		Nullable bool           `json:"nullable"`
		Metadata map[string]any `json:"metadata"`
	}
	type array struct {
		Type         string `json:"type"`
		ElementType  any    `json:"elementType"`
		ContainsNull bool   `json:"containsNull"`
	}
	fields := make([]field, len(s))
	for i, c := range s {
		var t any
		switch c.Kind {
		case Int64:
			t = "long"
		case Float64List:
			t = array{"array", "double", true}
		case Float64List2:
			t = array{"array", array{"array", "double", true}, true}
		}
		fields[i] = field{Name: c.Name, Type: t, Nullable: true, Metadata: map[string]any{}}
	}
	b, _ := json.Marshal(struct {
		Type   string  `json:"type"`
		Fields []field `json:"fields"`
	}{"struct", fields}) // cannot fail: only strings, bools and maps of strings
	return string(b)
}
