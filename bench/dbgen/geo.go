package dbgen

// Nation and region rows come from the dists.dss lists of the same names,
// in list order (specification 4.2.3): the key is the position, a nation's
// region key is the running total of the nations list's weights, and only
// the comment is drawn, a text string of [28, 115] characters (dbgen's
// 0.4 and 1.6 times 72).

const geoCommentMin, geoCommentMax = 28, 115

type nationCursor struct{ comment lane }

func (*nationCursor) streamTable() string { return "nation" }
func (c *nationCursor) lanes() []laneRef  { return []laneRef{{&c.comment, "n_comment"}} }

type regionCursor struct{ comment lane }

func (*regionCursor) streamTable() string { return "region" }
func (c *regionCursor) lanes() []laneRef  { return []laneRef{{&c.comment, "r_comment"}} }

// Nations calls fn for each of the 25 nations in key order.
func (g *Generator) Nations(fn func(*Nation) error) error {
	var c nationCursor
	pack := g.placeLanes(&c, 0)
	text := g.text()
	list := g.lists.nations
	var n Nation
	for i, name := range list.words {
		n = Nation{
			NationKey: int32(i),
			Name:      name,
			RegionKey: int32(list.cum[i]),
			Comment:   text.cut(&c.comment, geoCommentMin, geoCommentMax),
		}
		if err := fn(&n); err != nil {
			return err
		}
		pack.nextRow()
	}
	return nil
}

// Regions calls fn for each of the 5 regions in key order.
func (g *Generator) Regions(fn func(*Region) error) error {
	var c regionCursor
	pack := g.placeLanes(&c, 0)
	text := g.text()
	var r Region
	for i, name := range g.lists.regions.words {
		r = Region{RegionKey: int32(i), Name: name, Comment: text.cut(&c.comment, geoCommentMin, geoCommentMax)}
		if err := fn(&r); err != nil {
			return err
		}
		pack.nextRow()
	}
	return nil
}
