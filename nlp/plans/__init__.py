"""After the hearing: rectification plans (整改方案) checked against the report and the critique."""
