"""Features that add files of their own: feeds, sitemap, calendar, roll, search."""
